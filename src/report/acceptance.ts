/**
 * The one place that decides whether a valid report becomes the current version of its
 * (commune, form, period). Reporting calendars, period locks and approvals (SPEC §4.8) are
 * further rules of this function; nothing else in the pipeline decides acceptance.
 */

export type Slot = { readonly currentSubmissionId: number; readonly currentFingerprint: string; readonly lastVersion: number } | null;

export type Decision =
  | { readonly kind: 'accept'; readonly version: number; readonly supersedes: number | null }
  | { readonly kind: 'duplicate'; readonly of: number }
  | { readonly kind: 'superseded'; readonly by: number };

/**
 * The newest received submission is current, whatever order they finish in (SPEC §4.4): ids are
 * given in order of receipt, so a lower id than the current one arrived earlier and is superseded.
 * Identical content to the current version is a duplicate and makes no version (SPEC §4.3).
 */
export function decideVersion(slot: Slot, submission: { readonly id: number; readonly fingerprint: string }): Decision {
  if (slot === null) return { kind: 'accept', version: 1, supersedes: null };
  if (submission.id < slot.currentSubmissionId) return { kind: 'superseded', by: slot.currentSubmissionId };
  if (submission.fingerprint === slot.currentFingerprint) return { kind: 'duplicate', of: slot.currentSubmissionId };
  return { kind: 'accept', version: slot.lastVersion + 1, supersedes: slot.currentSubmissionId };
}
