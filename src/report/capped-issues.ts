import { issue, type Issue, type IssueCode } from '../schema/issue.ts';

/** The issues of one file as kept: the first `max` in full, and how many of each code there were. */
export type CappedIssues = {
  add(found: Issue): void;
  /** How many were added, kept or not. */
  readonly total: () => number;
  /** The kept issues, then, when some were dropped, one ISSUES_TRUNCATED saying how many of each code exist. */
  list(): Issue[];
};

/**
 * A file of 200,000 rows with every cell wrong holds millions of problems; kept whole they run a
 * process out of heap and make a response no officer reads. So only the first `max` are kept,
 * with a count per code of all of them: enough to fix the file and to know how much is left.
 */
export function cappedIssues(max: number): CappedIssues {
  const kept: Issue[] = [];
  const counts = new Map<string, number>();
  let total = 0;
  return {
    add(found) {
      total += 1;
      counts.set(found.code, (counts.get(found.code) ?? 0) + 1);
      if (kept.length < max) kept.push(found);
    },
    total: () => total,
    list() {
      if (total <= kept.length) return [...kept];
      return [...kept, truncation(kept.length, total, counts)];
    },
  };
}

function truncation(shown: number, total: number, counts: ReadonlyMap<string, number>): Issue {
  const byCode = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const code: IssueCode = 'ISSUES_TRUNCATED';
  return {
    ...issue(code, {}, { shown, total, hidden: total - shown, byCode: byCode.map(([c, n]) => `${c} ${n}`).join(', ') }),
    counts: Object.fromEntries(byCode),
  };
}
