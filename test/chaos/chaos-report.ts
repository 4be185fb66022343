import type { Fault } from './fault-recovery.ts';
import type { ChaosReport } from './run-chaos.ts';

/** Passed: nothing lost, nothing counted twice, every outcome and figure as the files say, every fault recovered. */
export function chaosPassed(report: ChaosReport): boolean {
  const v = report.verdict;
  return (
    report.error === null &&
    v.lost.length === 0 &&
    v.countedTwice.length === 0 &&
    v.wrongOutcome.length === 0 &&
    v.snapshotMismatches.length === 0 &&
    v.snapshotsEqual === v.snapshotsTotal &&
    report.faults.every((f) => f.recoveredMs !== null)
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function killSummary(kills: readonly Fault[]): string[] {
  if (kills.length === 0) return [];
  const busy = kills.filter((k) => k.jobs.length > 0);
  const times = busy
    .map((k) => k.recoveredMs)
    .filter((t) => t !== null)
    .sort((a, b) => a - b);
  const at = (p: number) =>
    times.length ? seconds(times[Math.min(times.length - 1, Math.floor(p * times.length))]!) : '-';
  return [
    `  kill       ${kills.length} SIGKILLs (${kills.filter((k) => k.target === 'rollup').length} of the rollup ` +
      `process), ${busy.length} with jobs in flight (${busy.reduce((n, k) => n + k.jobs.length, 0)} jobs): their ` +
      `jobs finished by another process in median ${at(0.5)}, p90 ${at(0.9)}, ` +
      `max ${at(1)}${kills.some((k) => k.recoveredMs === null) ? '; SOME NOT RECOVERED' : ''}`,
    ...kills.map(
      (k) =>
        `    ${k.target.padEnd(9)} ${k.at.toISOString().slice(11, 19)} ` +
        ` ${k.recoveredMs === null ? 'NOT RECOVERED' : `recovered in ${seconds(k.recoveredMs)}`}  (${k.note})`,
    ),
  ];
}

/** The figures the issue asks for, as lines to print. */
export function formatChaosReport(report: ChaosReport): string {
  const v = report.verdict;
  const accepted = (v.statuses.accepted ?? 0) + (v.statuses.superseded ?? 0);
  const lines = [
    `files sent:          ${v.filesSent} (${report.communes} communes, ${report.provinces} provinces, ${report.periods.join(' ')}; seed ${report.seed})`,
    `accepted:            ${accepted} (current ${v.statuses.accepted ?? 0}, superseded ${v.statuses.superseded ?? 0}); ` +
      `duplicate ${v.statuses.duplicate ?? 0}; rejected ${v.statuses.rejected ?? 0}`,
    `lost:                ${v.lost.length}`,
    `counted twice:       ${v.countedTwice.length}`,
    `wrong outcome:       ${v.wrongOutcome.length}`,
    `snapshots equal:     ${v.snapshotsEqual}/${v.snapshotsTotal} figures (commune, district, province × indicator ` +
      `× period)${v.snapshotMismatches.length ? `; ${v.snapshotMismatches.length} mismatches` : ''}`,
    `upload retries:      ${report.uploadRetries} (Idempotency-Key replays through faults)`,
    `uploads took:        ${(report.uploadMs / 1000).toFixed(1)} s; whole run ${(report.totalMs / 1000).toFixed(1)} s`,
    `faults and recovery (from the fault until the work it hit was done: its submissions decided, its rollups ` +
      `re-run, a killed process's jobs finished by another):`,
    ...report.faults
      .filter((f) => f.kind !== 'kill')
      .map(
        (f) =>
          `  ${f.kind.padEnd(10)} ${f.target.padEnd(9)} ${f.at.toISOString().slice(11, 19)} ` +
          ` ${f.requeuedMs === null ? '' : `requeued in ${seconds(f.requeuedMs)}, `}` +
          `${f.recoveredMs === null ? 'NOT RECOVERED' : `all decided in ${seconds(f.recoveredMs)}`}  (${f.note})`,
      ),
    ...killSummary(report.faults.filter((f) => f.kind === 'kill')),
  ];
  for (const [title, list] of [
    ['lost', v.lost],
    ['counted twice', v.countedTwice],
    ['wrong outcome', v.wrongOutcome],
    ['snapshot mismatches', v.snapshotMismatches],
  ] as const) {
    if (list.length > 0) lines.push(`${title} (first 10):`, ...list.slice(0, 10).map((l) => `  ${l}`));
  }
  if (report.error) lines.push(`error: ${report.error}`);
  lines.push(`logs: ${report.logDir}`);
  return lines.join('\n');
}
