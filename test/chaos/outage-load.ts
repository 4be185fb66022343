import type { ChaosFile } from './synthetic-reports.ts';

/** One answer the load got: its HTTP status, or `network` when the connection failed or dropped. */
export type Answer = { at: number; status: string };

export type LoadResult = {
  answers: Answer[];
  /** Submission ids each file was stored as (its 202), by file index. */
  idsOfFile: Map<number, number[]>;
  /** Files sent (tried at least once), in the order they were started. */
  sent: ChaosFile[];
  /** When the last upload had its final answer (the load's end), performance.now() ms. */
  endedAt: number;
  /** Files that never got a 202 within the time allowed, and why. */
  givenUp: string[];
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `clients` uploaders, each sending the next file while `until` has not passed, each file with an
 * Idempotency-Key of its own and sent again (after half a second) until it has its 202: a repeat
 * whose first try was stored gets the first answer, not a second submission. Every answer is kept
 * with its time, for counting by status around an outage.
 */
export async function runUploadLoad(options: {
  url: string;
  tokenOf: (file: ChaosFile) => string;
  files: Iterator<ChaosFile>;
  clients: number;
  until: number;
  /** A file still without its 202 this long after `until` is given up (and counted lost). */
  graceMs: number;
  keyPrefix: string;
}): Promise<LoadResult> {
  const answers: Answer[] = [];
  const idsOfFile = new Map<number, number[]>();
  const sent: ChaosFile[] = [];
  const givenUp: string[] = [];
  let endedAt = performance.now();
  const upload = async (file: ChaosFile) => {
    for (;;) {
      let status: string;
      try {
        const form = new FormData();
        for (const [k, v] of Object.entries(file.fields)) form.append(k, v);
        form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
        const r = await fetch(new URL('/v1/submissions', options.url), {
          method: 'POST',
          body: form,
          headers: {
            authorization: `Bearer ${options.tokenOf(file)}`,
            'idempotency-key': `${options.keyPrefix}-${file.index}`,
          },
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await r.json().catch(() => null)) as { submissions?: { id: number }[] } | null;
        status = String(r.status);
        answers.push({ at: performance.now(), status });
        if (r.status === 202 && body?.submissions) {
          idsOfFile.set(
            file.index,
            body.submissions.map((s) => s.id),
          );
          return;
        }
        if (r.status !== 429 && r.status < 500) {
          givenUp.push(`${file.name}: HTTP ${r.status} ${JSON.stringify(body)}`);
          return;
        }
      } catch {
        status = 'network';
        answers.push({ at: performance.now(), status });
      }
      if (performance.now() > options.until + options.graceMs) {
        givenUp.push(`${file.name}: no 202 ${options.graceMs} ms after the load ended (last: ${status})`);
        return;
      }
      await sleep(400 + Math.random() * 200);
    }
  };
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (performance.now() < options.until) {
        const next = options.files.next();
        if (next.done) break;
        sent.push(next.value);
        await upload(next.value);
        endedAt = Math.max(endedAt, performance.now());
      }
    }),
  );
  return { answers, idsOfFile, sent, endedAt, givenUp };
}

/** Answers counted by status, as `202: 1234, 503: 56`. */
export function countByStatus(answers: readonly Answer[], from = -Infinity, to = Infinity): string {
  const counts = new Map<string, number>();
  for (const a of answers) if (a.at >= from && a.at < to) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const entries = [...counts].sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([s, n]) => `${s}: ${n}`).join(', ');
}
