/**
 * The one place that decides whether a valid report becomes the current version of its
 * (commune, form, period): the version rules of SPEC §4 and the reporting cycle's period rules of
 * SPEC §7 (open, expired, locked, approved), with the timeliness a new version carries. Nothing
 * else in the pipeline decides acceptance.
 */
import type { PeriodDates, Timeliness } from '../figures/period-deadlines.ts';
import { timelinessOf } from '../figures/period-deadlines.ts';
import type { HolidayCalendar } from '../figures/working-days.ts';
import { issue, type Issue } from '../schema/issue.ts';

export type Slot = {
  readonly currentSubmissionId: number;
  readonly currentFingerprint: string;
  readonly lastVersion: number;
  /** The verdict of the slot's first accepted version; null for a slot older than the reporting cycle. */
  readonly timeliness?: Timeliness | null;
} | null;

/**
 * What the reporting cycle knows of a report's period at the time the file was *received*: a file
 * received before a lock or an approval is judged without it, whenever a worker gets to it.
 */
export type PeriodRules = {
  readonly form: string;
  readonly period: string;
  readonly holidays: HolidayCalendar;
  readonly dates: PeriodDates;
  /** The day (in Vietnam) the file was received. */
  readonly receivedDay: string;
  /** The lock standing on the period for the commune's province at receipt; `by` and `at` as a person reads them. */
  readonly lock: { readonly by: string; readonly at: string } | null;
  /** Whether a lock exception for (form, commune, period) stood at receipt: it lifts a lock and an expiry. */
  readonly exception: boolean;
  /** The commune's approval of this form and period standing at receipt. */
  readonly approval: { readonly by: string; readonly at: string } | null;
};

export type Decision =
  | {
      readonly kind: 'accept';
      readonly version: number;
      readonly supersedes: number | null;
      readonly timeliness: Timeliness | null;
    }
  | { readonly kind: 'duplicate'; readonly of: number }
  | { readonly kind: 'superseded'; readonly by: number }
  | { readonly kind: 'refused'; readonly issue: Issue };

/**
 * The period rules of SPEC §7, in the order a person can act on them: an approved report must be
 * unapproved first (no exception lifts that); a period not yet open waits; a lock or an expiry is
 * lifted by a standing exception. Null when the period takes the report.
 */
export function periodRefusal(rules: PeriodRules): Issue | null {
  const named = { form: rules.form, period: rules.period };
  if (rules.approval) return issue('PERIOD_APPROVED', {}, { ...named, by: rules.approval.by, at: rules.approval.at });
  if (rules.receivedDay < rules.dates.opens)
    return issue('PERIOD_NOT_OPEN', {}, { ...named, opens: rules.dates.opens });
  if (rules.exception) return null;
  if (rules.lock) return issue('PERIOD_LOCKED', {}, { ...named, by: rules.lock.by, at: rules.lock.at });
  if (rules.dates.lastAccepted !== null && rules.receivedDay > rules.dates.lastAccepted)
    return issue('PERIOD_EXPIRED', {}, { ...named, date: rules.dates.lastAccepted });
  return null;
}

/**
 * The newest received submission is current, whatever order they finish in (SPEC §4.4): ids are
 * given in order of receipt, so a lower id than the current one arrived earlier and is superseded.
 * Identical content to the current version is a duplicate and makes no version (SPEC §4.3).
 * A version that would be made is then judged by its period's rules; the first accepted version
 * of a slot decides whether the slot is on time, and later versions keep that verdict.
 */
export function decideVersion(
  slot: Slot,
  submission: { readonly id: number; readonly fingerprint: string },
  rules: PeriodRules | null = null,
): Decision {
  if (slot !== null && submission.id < slot.currentSubmissionId)
    return { kind: 'superseded', by: slot.currentSubmissionId };
  if (slot !== null && submission.fingerprint === slot.currentFingerprint)
    return { kind: 'duplicate', of: slot.currentSubmissionId };
  const refusal = rules ? periodRefusal(rules) : null;
  if (refusal) return { kind: 'refused', issue: refusal };
  const timeliness =
    slot !== null
      ? (slot.timeliness ?? null)
      : rules
        ? timelinessOf(rules.holidays, rules.dates.deadline, rules.receivedDay)
        : null;
  if (slot === null) return { kind: 'accept', version: 1, supersedes: null, timeliness };
  return { kind: 'accept', version: slot.lastVersion + 1, supersedes: slot.currentSubmissionId, timeliness };
}

/** A slot's name: the key of its advisory lock and of the maps below. */
export const slotKey = (s: { readonly communeCode: string; readonly form: string; readonly period: string }) =>
  `slot:${s.communeCode}:${s.form}:${s.period}`;

/** A valid report of a batch, waiting for its version. */
export type Candidate = {
  readonly id: number;
  readonly communeCode: string;
  readonly form: string;
  readonly period: string;
  readonly fingerprint: string;
  readonly receivedAt: Date;
  readonly rules: PeriodRules | null;
};

/** A slot a batch accepted a version into: as the last accepted report left it, and the receipt and verdict of its first (written for a new slot only). */
export type ChangedSlot = {
  readonly slot: NonNullable<Slot>;
  readonly first: {
    readonly receivedAt: Date;
    readonly deadline: string | null;
    readonly timeliness: Timeliness | null;
  };
};

export type BatchVersions = {
  readonly decisions: ReadonlyMap<number, Decision>;
  readonly changed: ReadonlyMap<string, ChangedSlot>;
  /** Versions current before the batch, or made earlier in it, that a later report of theirs replaced. */
  readonly superseded: readonly number[];
};

/**
 * The versions of a batch of valid reports: in order of receipt (id), each decided against its
 * slot as the report before it left it, so a batch makes the versions that one report at a time
 * would (SPEC §4.4). `slots` are the slots as stored; it is not changed.
 */
export function decideVersions(
  candidates: readonly Candidate[],
  stored: ReadonlyMap<string, NonNullable<Slot>>,
): BatchVersions {
  const slots = new Map(stored);
  const decisions = new Map<number, Decision>();
  const changed = new Map<string, ChangedSlot>();
  const superseded: number[] = [];
  for (const c of [...candidates].sort((a, b) => a.id - b.id)) {
    const key = slotKey(c);
    const decision = decideVersion(slots.get(key) ?? null, c, c.rules);
    decisions.set(c.id, decision);
    if (decision.kind !== 'accept') continue;
    if (decision.supersedes !== null) superseded.push(decision.supersedes);
    const slot = {
      currentSubmissionId: c.id,
      currentFingerprint: c.fingerprint,
      lastVersion: decision.version,
      timeliness: decision.timeliness,
    };
    slots.set(key, slot);
    const earlier = changed.get(key);
    const first =
      decision.version === 1 || !earlier
        ? { receivedAt: c.receivedAt, deadline: c.rules?.dates.deadline ?? null, timeliness: decision.timeliness }
        : earlier.first;
    changed.set(key, { slot, first });
  }
  return { decisions, changed, superseded };
}
