import { api } from './api.ts';
import type { Stored, SubmissionState, Validated } from './api-types.ts';
import { fileCard, type FileCard } from './file-card.ts';
import { terminalStatuses } from './status-label.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the status until the worker decides, quickly at first (most files take a second), then less often. */
async function follow(card: FileCard, id: number): Promise<void> {
  let delay = 600;
  for (;;) {
    const s = await api<SubmissionState>(`/v1/submissions/${id}`);
    card.status(s);
    if (terminalStatuses.includes(s.status)) return;
    await sleep(delay);
    delay = Math.min(3000, delay * 1.4);
  }
}

/** A submission just stored: queued, nothing read from it yet. */
function queued(id: number, filename: string | null): SubmissionState {
  return {
    id,
    status: 'queued',
    form: null,
    commune: null,
    commune_name: null,
    period: null,
    version: null,
    errors: [],
    filename,
  };
}

/** The outcome of one file sent: itself, or each file of its archive, and each refused by name; each followed until decided. */
export function showStored(card: FileCard, r: Stored, following: Promise<void>[]): void {
  const [only] = r.submissions;
  if (only && r.submissions.length === 1 && r.refused.length === 0 && !only.archive) {
    card.status(queued(only.id, only.filename));
    following.push(follow(card, only.id).catch((error: unknown) => card.failed(error)));
    return;
  }
  const inner = card.many(r.submissions.length, r.refused.length);
  for (const s of r.submissions) {
    const sub = fileCard(s.filename ?? String(s.id), null, inner);
    sub.status(queued(s.id, s.filename));
    following.push(follow(sub, s.id).catch((error: unknown) => sub.failed(error)));
  }
  for (const refused of r.refused) fileCard(refused.filename ?? '?', null, inner).refused(refused);
}

/** The outcome of one file checked: itself, or each file of its archive, and each refused by name. */
export function showValidated(card: FileCard, r: Validated): void {
  const [only] = r.results;
  if (only && r.results.length === 1 && r.refused.length === 0 && !only.archive) {
    card.validated(only);
    return;
  }
  const inner = card.many(r.results.length, r.refused.length);
  for (const result of r.results) fileCard(result.filename ?? '?', null, inner).validated(result);
  for (const refused of r.refused) fileCard(refused.filename ?? '?', null, inner).refused(refused);
}
