import type { SubmissionStatus } from '../../../schema/database.ts';
import { t } from './boot.ts';
import { h } from './dom.ts';

/** A submission's status as a badge: the word carries the meaning, the colour only repeats it. */
export function statusBadge(status: SubmissionStatus): HTMLElement {
  return h('span', { class: `badge ${status}` }, t(`status.short.${status}`));
}

/** Every status, in the order a submission goes through them; a Record, so a new status cannot be forgotten here. */
const order: Record<SubmissionStatus, number> = {
  queued: 0,
  processing: 1,
  accepted: 2,
  rejected: 3,
  duplicate: 4,
  superseded: 5,
};
export const allStatuses = (Object.keys(order) as SubmissionStatus[]).sort((a, b) => order[a] - order[b]);

export const terminalStatuses: readonly SubmissionStatus[] = ['accepted', 'rejected', 'duplicate', 'superseded'];
