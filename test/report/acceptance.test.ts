import { describe, expect, it } from 'vitest';
import {
  decideVersion,
  decideVersions,
  slotKey,
  type Candidate,
  type PeriodRules,
} from '../../src/report/acceptance.ts';
import { holidayCalendar } from '../../src/figures/working-days.ts';

const where = { communeCode: '03166', form: 'HTS-BAN', period: '2023-Q2' };
const slot = {
  currentSubmissionId: 10,
  currentFingerprint: 'aaa',
  lastVersion: 2,
  timeliness: { onTime: true, daysLate: 0 },
};
/** The rules of 2023-Q2 for a file received on `receivedDay`: opens 15 June, deadline 3 July (a Monday), never expires. */
const rules = (receivedDay: string, more: Partial<PeriodRules> = {}): PeriodRules => ({
  form: 'HTS-BAN',
  period: '2023-Q2',
  holidays: holidayCalendar([]),
  dates: {
    windowCloses: '2023-06-14',
    opens: '2023-06-15',
    deadline: '2023-07-03',
    provinceDeadline: '2023-07-06',
    lastAccepted: null,
  },
  receivedDay,
  lock: null,
  exception: false,
  approval: null,
  ...more,
});

describe('decideVersion (SPEC §4.3, §4.4, §7)', () => {
  it('makes version 1 of a new slot, and the next version of a slot, superseding the current one', () => {
    expect(decideVersion(null, { id: 1, fingerprint: 'x' })).toEqual({
      kind: 'accept',
      version: 1,
      supersedes: null,
      timeliness: null,
    });
    expect(decideVersion(slot, { id: 11, fingerprint: 'bbb' })).toEqual({
      kind: 'accept',
      version: 3,
      supersedes: 10,
      timeliness: slot.timeliness,
    });
  });

  it('makes no version of the current content again, nor of a file received before the current one', () => {
    expect(decideVersion(slot, { id: 11, fingerprint: 'aaa' })).toEqual({ kind: 'duplicate', of: 10 });
    expect(decideVersion(slot, { id: 9, fingerprint: 'bbb' })).toEqual({ kind: 'superseded', by: 10 });
  });

  it('gives a new slot its verdict from the deadline in working days; a later version keeps the first one’s', () => {
    expect(decideVersion(null, { id: 1, fingerprint: 'x' }, rules('2023-07-03'))).toMatchObject({
      timeliness: { onTime: true, daysLate: 0 },
    });
    expect(decideVersion(null, { id: 1, fingerprint: 'x' }, rules('2023-07-05'))).toMatchObject({
      timeliness: { onTime: false, daysLate: 2 },
    });
    expect(decideVersion(slot, { id: 11, fingerprint: 'b' }, rules('2023-09-01'))).toMatchObject({
      timeliness: slot.timeliness,
    });
  });

  it('refuses by the period’s rules: approved, not open, locked unless excepted, expired', () => {
    const by = { by: 'tinh', at: '2023-07-10 09:00 (UTC+7)' };
    const refused = (r: PeriodRules) => {
      const d = decideVersion(null, { id: 1, fingerprint: 'x' }, r);
      return d.kind === 'refused' ? d.issue.code : d.kind;
    };
    expect(refused(rules('2023-07-20', { approval: by, exception: true }))).toBe('PERIOD_APPROVED');
    expect(refused(rules('2023-06-01'))).toBe('PERIOD_NOT_OPEN');
    expect(refused(rules('2023-07-20', { lock: by }))).toBe('PERIOD_LOCKED');
    expect(refused(rules('2023-07-20', { lock: by, exception: true }))).toBe('accept');
    expect(refused(rules('2023-07-20', { dates: { ...rules('x').dates, lastAccepted: '2023-07-10' } }))).toBe(
      'PERIOD_EXPIRED',
    );
  });
});

describe('decideVersions: a batch as one report at a time', () => {
  const candidate = (id: number, fingerprint: string, more: Partial<Candidate> = {}): Candidate => ({
    id,
    ...where,
    fingerprint,
    receivedAt: new Date(Date.UTC(2023, 6, 1, 0, id)),
    rules: null,
    ...more,
  });

  it('decides reports of one slot in order of receipt, each against the slot as the one before left it', () => {
    // Given out of order: 5 is the newest, 3 repeats 2's content, 4 the first.
    const batch = decideVersions(
      [candidate(5, 'c'), candidate(3, 'b'), candidate(2, 'b'), candidate(4, 'a')],
      new Map(),
    );
    expect([2, 3, 4, 5].map((id) => batch.decisions.get(id))).toEqual([
      { kind: 'accept', version: 1, supersedes: null, timeliness: null },
      { kind: 'duplicate', of: 2 },
      { kind: 'accept', version: 2, supersedes: 2, timeliness: null },
      { kind: 'accept', version: 3, supersedes: 4, timeliness: null },
    ]);
    expect(batch.superseded).toEqual([2, 4]);
    const changed = batch.changed.get(slotKey(where))!;
    expect(changed.slot).toMatchObject({ currentSubmissionId: 5, lastVersion: 3, currentFingerprint: 'c' });
    // The slot is new: its first accepted version's receipt is what a new slot row records.
    expect(changed.first.receivedAt).toEqual(candidate(2, 'b').receivedAt);
  });

  it('continues a stored slot, leaves the stored map as it was, and keeps apart the slots of other periods', () => {
    const stored = new Map([[slotKey(where), slot]]);
    const other = { period: '2023-Q3' };
    const batch = decideVersions([candidate(11, 'aaa'), candidate(12, 'new'), candidate(13, 'q3', other)], stored);
    expect(batch.decisions.get(11)).toEqual({ kind: 'duplicate', of: 10 });
    expect(batch.decisions.get(12)).toMatchObject({ kind: 'accept', version: 3, supersedes: 10 });
    expect(batch.decisions.get(13)).toMatchObject({ kind: 'accept', version: 1, supersedes: null });
    expect(stored.get(slotKey(where))).toBe(slot);
    expect([...batch.changed.keys()].sort()).toEqual([slotKey(where), slotKey({ ...where, ...other })]);
  });

  it('makes no version of a refused report, so the next one of the slot is still version 1', () => {
    const locked = rules('2023-07-20', { lock: { by: 'tinh', at: 'x' } });
    const batch = decideVersions(
      [candidate(1, 'a', { rules: locked }), candidate(2, 'b', { rules: rules('2023-07-03') })],
      new Map(),
    );
    expect(batch.decisions.get(1)).toMatchObject({ kind: 'refused' });
    expect(batch.decisions.get(2)).toMatchObject({ kind: 'accept', version: 1, timeliness: { onTime: true } });
    expect(batch.changed.get(slotKey(where))!.first.deadline).toBe('2023-07-03');
  });
});
