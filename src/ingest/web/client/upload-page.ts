import './messages-upload.ts';
import { postFiles, query } from './api.ts';
import type { Validated } from './api-types.ts';
import { boot, pick, t } from './boot.ts';
import { card } from './card.ts';
import { appRoot, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { field } from './field.ts';
import { fileCard } from './file-card.ts';
import { showValidated } from './file-outcome.ts';
import { retrying, type Wait } from './retry.ts';
import { send } from './submission-send.ts';
import {
  askedCommune,
  chosen,
  communeInput,
  drop,
  formSelect,
  input,
  ownCommune,
  periodSelect,
  formData,
  showChosen,
} from './upload-fields.ts';

/**
 * The upload page (SPEC §5, web pages): files dropped or chosen, each checked or sent one after
 * another with its progress, then followed until decided with every problem shown; the forms'
 * templates beside.
 */
initChrome();
const user = boot.user!;

const notice = h('p', { class: 'notice error', role: 'alert', hidden: true });
const checkButton = h('button', { type: 'button', id: 'check' }, t('upload.check'));
const sendButton = h('button', { type: 'submit', id: 'send', class: 'primary' }, t('upload.send'));
const results = h('ol', { class: 'results', id: 'results' });
const resultsEmpty = h('p', { class: 'muted' }, t('upload.resultsEmpty'));
const resultsHeading = h('h2', { id: 'results-h', tabindex: -1 }, t('upload.results'));

/** Files go one after another, so on a slow link the first is decided while the next uploads. */
async function run(kind: 'check' | 'send'): Promise<void> {
  const files = [...(input.files ?? [])];
  notice.hidden = true;
  if (files.length === 0) {
    notice.textContent = t('upload.pickFirst');
    notice.hidden = false;
    input.focus();
    return;
  }
  resultsEmpty.remove();
  results.replaceChildren();
  // A disabled button drops the focus to <body>: the keyboard and the screen reader go to the results instead.
  resultsHeading.focus();
  checkButton.disabled = sendButton.disabled = true;
  const following: Promise<void>[] = [];
  try {
    for (const file of files) {
      const item = fileCard(file.name, file.size, results);
      try {
        // Sent again by itself through an outage (retry.ts), with the same Idempotency-Key: one submission however many tries.
        const waiting = (wait: Wait, now: () => void) => item.waiting(wait, now);
        if (kind === 'check') {
          const validated = await retrying(
            () =>
              postFiles<Validated>('/v1/validate', formData(file), (f) => (f < 1 ? item.progress(f) : item.checking())),
            waiting,
          );
          showValidated(item, validated);
          const kept = validated.checked?.[0];
          if (validated.results.some((r) => r.valid)) {
            item.offerSend(() => {
              const sent: Promise<void>[] = [];
              send(file, item, sent, kept?.check ?? null)
                .then(() => Promise.all(sent))
                .catch((error: unknown) => item.failed(error));
            });
          }
        } else {
          await send(file, item, following, null);
        }
      } catch (error) {
        item.failed(error);
      }
    }
  } finally {
    checkButton.disabled = sendButton.disabled = false;
  }
  await Promise.all(following);
}

const form = h(
  'form',
  { class: 'card', id: 'upload-form' },
  h('h2', null, t('upload.choose')),
  drop,
  chosen,
  h(
    'details',
    { class: 'options', open: !ownCommune || undefined },
    h('summary', null, t('upload.options')),
    h(
      'div',
      { class: 'grid' },
      field('form', t('upload.form'), formSelect),
      field('period', t('upload.period'), periodSelect),
      communeInput
        ? field(
            'commune',
            t('upload.commune'),
            communeInput,
            h('span', { id: 'commune-hint', class: 'hint' }, t('upload.communeHint')),
          )
        : h('p', { class: 'field' }, t('upload.yourCommune', { name: user.scopeName ?? user.code ?? '' })),
    ),
  ),
  notice,
  h('div', { class: 'actions' }, checkButton, sendButton),
);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run('send');
});
checkButton.addEventListener('click', () => void run('check'));
input.addEventListener('change', showChosen);
for (const type of ['dragenter', 'dragover'] as const) {
  drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  if (event.dataTransfer?.files.length) {
    input.files = event.dataTransfer.files;
    showChosen();
  }
});

fill(
  appRoot(),
  form,
  h('section', { class: 'card', 'aria-labelledby': 'results-h' }, resultsHeading, resultsEmpty, results),
  card(
    'templates',
    t('upload.templates'),
    h(
      'ul',
      { class: 'links' },
      boot.forms.map((f) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: `/v1/forms/${encodeURIComponent(f.code)}/template.xlsx`, download: '' },
            t('upload.template', { code: f.code, title: pick(f.title) }),
          ),
        ),
      ),
    ),
    ownCommune || askedCommune
      ? h(
          'p',
          null,
          h('a', { href: `/submissions${query({ commune: ownCommune ?? askedCommune })}` }, t('upload.history')),
        )
      : null,
  ),
);
showChosen();
markReady();
