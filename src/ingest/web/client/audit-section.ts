import { province } from './approver-state.ts';
import type { AuditEntry } from './approver-types.ts';
import { api, query } from './api.ts';
import { t as ta } from './boot.ts';
import { card } from './card.ts';
import { fill, h } from './dom.ts';
import { fmtPeriod, fmtTime } from './format.ts';
import type { MessageKey } from './messages.ts';
import { simpleTable } from './sortable-table.ts';

/** Audit entries asked for at a time: the first page with the rest of the approver page, older ones on demand. */
export const auditPage = 50;

/** An audit row's action as a person reads it; an action this page does not know keeps its code. */
function actionLabel(action: string): string {
  const text = ta(`action.${action}` as MessageKey);
  return text === `action.${action}` ? action : text;
}

/** An audit row's subject in a line: its short plain values (not a file's hash), the period as people write it. */
function subjectText(subject: unknown): string {
  if (!subject || typeof subject !== 'object') return '';
  return Object.entries(subject as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object' && String(v).length <= 48)
    .map(([k, v]) => `${k}: ${k === 'period' ? fmtPeriod(String(v)) : String(v)}`)
    .join(' · ');
}

/** The province's audit log, newest first, from its first page; a full page offers the older entries. */
export function auditSection(first: readonly AuditEntry[]): HTMLElement {
  let entries = [...first];
  let more = first.length === auditPage;
  const box = h('div', { id: 'audit-box' });
  const draw = () =>
    fill(
      box,
      entries.length === 0
        ? h('p', null, ta('ap.auditNone'))
        : simpleTable<AuditEntry>(
            ta('ap.auditCaption'),
            [
              { key: 'when', label: ta('ap.when'), cell: (e) => fmtTime(e.at) },
              { key: 'who', label: ta('ap.who'), cell: (e) => e.actor_name },
              { key: 'what', label: ta('ap.what'), rowHeader: true, cell: (e) => actionLabel(e.action) },
              { key: 'about', label: ta('ap.details'), cell: (e) => subjectText(e.subject) },
              { key: 'reason', label: ta('ap.reason'), cell: (e) => e.reason ?? '' },
            ],
            entries,
            { id: 'audit', stack: true },
          ),
      more
        ? h(
            'button',
            {
              type: 'button',
              onclick: async (event: Event) => {
                const button = event.currentTarget as HTMLButtonElement;
                button.disabled = true;
                const older = await api<{ entries: AuditEntry[] }>(
                  `/v1/audit${query({ province, limit: auditPage, before: entries.at(-1)?.id })}`,
                );
                entries = [...entries, ...older.entries];
                more = older.entries.length === auditPage;
                draw();
              },
            },
            ta('ap.older'),
          )
        : null,
    );
  draw();
  return card('audit', ta('ap.audit'), box);
}
