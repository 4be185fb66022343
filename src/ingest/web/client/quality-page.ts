import { api, query } from './api.ts';
import { boot, pick } from './boot.ts';
import { appRoot, failure, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { fmtNumber, fmtPeriod } from './format.ts';
import { lineChart } from './line-chart.ts';

/**
 * The analyst's data-quality page (SPEC §8, issue 20): the warnings of a form and period, commune by
 * commune, each beside the commune's history of that measure with the warned value last. The
 * page's own words are here, in both languages (only its title is in messages.ts): it is its own
 * page, kept out of the files other pages share.
 */
type Warning = {
  submission: number;
  version: number | null;
  form: string;
  period: string;
  province: string;
  commune: string;
  commune_name: string | null;
  measure: string;
  value: number | null;
  expected_low: number | null;
  expected_high: number | null;
  history: { period: string; value: number }[];
  code: string;
  message: { vi: string; en: string };
};

const words = {
  controls: { vi: 'Chọn biểu mẫu và kỳ', en: 'Choose the form and period' },
  form: { vi: 'Biểu mẫu', en: 'Form' },
  period: { vi: 'Kỳ báo cáo (ví dụ 2023-Q2)', en: 'Period (for example 2023-Q2)' },
  show: { vi: 'Xem', en: 'Show' },
  intro: {
    vi: 'Cảnh báo không làm báo cáo bị từ chối: báo cáo đã được nhận. Hãy xem lại số liệu với xã trước khi phê duyệt.',
    en: 'Warnings never reject a report: these reports were accepted. Check the figures with the commune before approving.',
  },
  none: { vi: 'Không có cảnh báo nào cho biểu mẫu và kỳ này.', en: 'No warnings for this form and period.' },
  count: { vi: '{n} cảnh báo ở {c} xã', en: '{n} warnings in {c} communes' },
  version: { vi: 'phiên bản {v}', en: 'version {v}' },
  truncated: {
    vi: 'Chỉ hiện 5.000 cảnh báo đầu: hãy chọn kỳ hoặc biểu mẫu hẹp hơn.',
    en: 'Only the first 5,000 warnings are shown: narrow the period or form.',
  },
  history: { vi: '{measure}: các kỳ trước và {period}', en: '{measure}: earlier periods and {period}' },
  code: {
    OUTLIER: { vi: 'Khác thường so với lịch sử', en: 'Unusual against history' },
    OUTLIER_BOUNDS: { vi: 'Ngoài ngưỡng đã đặt', en: 'Outside the set bounds' },
    INCONSISTENT: { vi: 'Không khớp giữa các biểu', en: 'Forms disagree' },
  } as Record<string, { vi: string; en: string }>,
};
const say = (w: { vi: string; en: string }, params: Record<string, string | number> = {}) =>
  pick(w).replace(/\{(\w+)\}/gu, (_, k: string) => String(params[k] ?? ''));

initChrome();
const root = appRoot();
const params = new URLSearchParams(location.search);
const form = params.get('form') ?? boot.forms[0]?.code ?? '';
const period = params.get('period') ?? '';
/** An admin's view of one province (the approver page links here with it); a province reads its own whatever is asked. */
const province = params.get('province');

function controls(): HTMLElement {
  const formSelect = h(
    'select',
    { id: 'form', name: 'form' },
    boot.forms.map((f) => h('option', { value: f.code, selected: f.code === form }, `${f.code} — ${pick(f.title)}`)),
  );
  const periodInput = h('input', { id: 'period', name: 'period', value: period, size: 10 });
  const el = h(
    'form',
    { class: 'card controls', 'aria-label': say(words.controls) },
    h('div', { class: 'field' }, h('label', { for: 'form' }, say(words.form)), formSelect),
    h('div', { class: 'field' }, h('label', { for: 'period' }, say(words.period)), periodInput),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, say(words.show))),
  );
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    location.assign(`/quality${query({ form: formSelect.value, period: periodInput.value.trim() || null, province })}`);
  });
  return el;
}

/** One warning: what it says, and the measure's history with the warned value as the last point. */
function warningItem(w: Warning): HTMLElement {
  const points = [
    ...w.history.map((p) => ({ label: fmtPeriod(p.period), value: p.value, text: fmtNumber(p.value) })),
    { label: fmtPeriod(w.period), value: w.value, text: fmtNumber(w.value) },
  ];
  const max = Math.max(1, ...points.map((p) => p.value ?? 0), w.expected_high ?? 0);
  return h(
    'li',
    { class: 'quality-warning', 'data-code': w.code },
    h(
      'p',
      null,
      h('strong', null, pick(words.code[w.code] ?? { vi: w.code, en: w.code })),
      ` — ${w.form} · ${w.measure} = `,
      h('strong', null, fmtNumber(w.value)),
    ),
    h('p', null, pick(w.message)),
    points.length > 1
      ? lineChart({ label: say(words.history, { measure: w.measure, period: fmtPeriod(w.period) }), points, max })
      : null,
  );
}

async function load(): Promise<void> {
  const found = await api<{ truncated: boolean; warnings: Warning[] }>(
    `/v1/quality${query({ form, period: period || null, province: boot.user?.level === 'admin' ? province : null })}`,
  );
  const byCommune = new Map<string, Warning[]>();
  for (const w of found.warnings) byCommune.set(w.commune, [...(byCommune.get(w.commune) ?? []), w]);
  fill(
    root,
    controls(),
    h('p', { class: 'notice' }, say(words.intro)),
    found.truncated ? h('p', { class: 'notice' }, say(words.truncated)) : null,
    h(
      'p',
      { id: 'quality-count' },
      found.warnings.length === 0 ? say(words.none) : say(words.count, { n: found.warnings.length, c: byCommune.size }),
    ),
    [...byCommune].map(([commune, list]) =>
      h(
        'section',
        { class: 'card', 'aria-labelledby': `c-${commune}`, 'data-commune': commune },
        h(
          'h2',
          { id: `c-${commune}` },
          `${list[0]!.commune_name ?? ''} (${commune})`,
          h(
            'span',
            { class: 'muted' },
            ` · ${fmtPeriod(list[0]!.period)} · `,
            say(words.version, { v: list[0]!.version ?? '—' }),
          ),
        ),
        h('ul', { class: 'quality-list' }, list.map(warningItem)),
      ),
    ),
  );
  // The approver page links to one commune's warnings (#c-CODE): drawn after the browser looked for the anchor, so go to it now.
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  markReady();
}

load().catch((error: unknown) => {
  fill(
    root,
    failure(error, () => location.reload()),
  );
  markReady();
});
