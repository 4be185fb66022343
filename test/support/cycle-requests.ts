import { join } from 'node:path';
import { expect } from 'vitest';
import { createToken } from '../../src/accounts/tokens.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from './builders.ts';
import type { TestServices } from './services.ts';

/** JSON requests with a bearer token, as an approver's client sends them (the reporting cycle, SPEC §7). */
export async function sendJson(
  baseUrl: string,
  token: string,
  method: 'POST' | 'DELETE' | 'GET',
  path: string,
  body?: unknown,
) {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, body: parsed };
}

/**
 * A pipeline (`all`) on the test's clock with Nậm Pồ's units and its HTS-BAN reports, sent and
 * settled but for the `withheld` communes'; the province office's token, and an approver of
 * province 11 named `approverName`.
 */
export async function namPoReported(
  services: TestServices,
  now: () => Date,
  withheld: readonly string[],
  approverName: string,
) {
  const running = await services.start('all', {}, { now });
  const { db } = services;
  await importUnitFile(db, join(namPo, 'units.csv'));
  const office = await tokenFor(db, 'province', '11');
  const approver = (
    await createToken(db, { level: 'province', code: '11', label: approverName, roles: ['approve', 'read'] })
  ).token;
  const files = await namPoFiles((n) => n.includes('-hts-ban-') && !withheld.includes(n.slice(0, 5)));
  for (const f of files) expect((await upload(running.url!, office, [f])).status).toBe(202);
  await settled(db, running.deps.queues);
  return { running, url: running.url!, office, approver, communes: files.map((f) => f.name.slice(0, 5)) };
}
