import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverUrl } from '../../src/config.ts';
import { program } from '../../src/main.ts';
import { eraHint } from '../../src/units/unit-eras.ts';
import { namPo } from '../support/builders.ts';
import { runTonghop } from '../support/child.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/tonghop.js', import.meta.url));
const tonghop = (...args: string[]) => runTonghop(args, { ...services.env, LOG_LEVEL: 'silent' });

/** Every command of the tree, with its full name (`units crosswalk import`). */
function commands(command: Command, prefix = ''): { name: string; command: Command }[] {
  return command.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return [{ name, command: c }, ...commands(c, `${name} `)];
  });
}

describe('the tonghop CLI explains itself', () => {
  beforeAll(async () => {
    // The shipped national lists, as a newcomer's first command loads them.
    const imported = await tonghop('units', 'import', '--builtin');
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('vn-admin-units-2024.csv: imported 63 provinces, 691 districts, 10035 communes');
    expect(imported.stdout).toContain('vn-admin-units-2025.csv: imported 34 provinces, 0 districts, 3321 communes');
    expect(imported.stdout).toContain('vn-commune-crosswalk-2025.csv: imported 10599 crosswalk pairs');
  }, 120_000);

  it('`units import --builtin` loads both eras of the shipped lists (2024 list until 2025-06-30, 2025 list from 2025-07-01) and the crosswalk', async () => {
    const eras = await services.db
      .selectFrom('admin_unit')
      .select(['valid_from', 'valid_to', (eb) => eb.fn.countAll<number>().as('n')])
      .where('level', '=', 'commune')
      .groupBy(['valid_from', 'valid_to'])
      .orderBy('valid_from')
      .execute();
    expect(eras).toEqual([
      { valid_from: '1900-01-01', valid_to: '2025-06-30', n: 10035 },
      { valid_from: '2025-07-01', valid_to: null, n: 3321 },
    ]);
    const pairs = await services.db
      .selectFrom('unit_crosswalk')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(pairs.n).toBe(10599);
  });

  it('describes every command and every option, and `units --help` explains the crosswalk and village assignment', async () => {
    const undescribed = commands(program).flatMap(({ name, command }) => [
      ...(command.description() ? [] : [name]),
      ...command.options.filter((o) => !o.description).map((o) => `${name} ${o.flags}`),
    ]);
    expect(undescribed).toEqual([]);
    const help = (await tonghop('units', '--help')).stdout.replace(/\s+/gu, ' ');
    expect(help).toMatch(/crosswalk which of the communes after the 2025 reform each commune before it went into/u);
    expect(help).toMatch(
      /village-assignment which of today's communes each village of an old commune split by the 2025 reform went into/u,
    );
  });

  it('`--version` prints the version and the Node running it', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect((await tonghop('--version')).stdout).toBe(`${version} (Node ${process.versions.node})`);
  });

  it('counts in words that agree with the number: "imported 1 province, 1 district, 15 communes"', async () => {
    // Nậm Pồ's units in the era the shipped 2024 list gives them.
    const { stdout, code } = await tonghop('units', 'import', join(namPo, 'units.csv'), '--valid-to', '2025-06-30');
    expect(code).toBe(0);
    expect(stdout).toContain('imported 1 province, 1 district, 15 communes');
  });

  it('refuses a token or an account for a commune or province no era knows', { timeout: 180_000 }, async () => {
    const commune = await tonghop('token', 'create', '--commune', '99999');
    expect(commune.code).toBe(1);
    expect(commune.stderr).toBe(
      "tonghop: no commune 99999 in any era's units (import them first: tonghop units import --builtin)\n",
    );
    expect((await tonghop('token', 'create', '--province', '99')).stderr).toMatch(/no province 99 in any era's units/u);
    expect((await tonghop('user', 'create', '--username', 'x', '--commune', '99999')).stderr).toMatch(
      /no commune 99999/u,
    );
    // A commune of either era is known: 03156 retired in 2025, 03164 is today's.
    for (const code of ['03156', '03164']) expect((await tonghop('token', 'create', '--commune', code)).code).toBe(0);
    expect(await services.db.selectFrom('api_token').select('scope_code').orderBy('id').execute()).toEqual([
      { scope_code: '03156' },
      { scope_code: '03164' },
    ]);
  });

  it('`user create` with no terminal and no TONGHOP_PASSWORD says so, not that the password is too short', async () => {
    const { code, stderr } = await tonghop('user', 'create', '--username', 'xa.namtin', '--commune', '03156');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^tonghop: no password: there is no terminal to ask on and TONGHOP_PASSWORD is not set/u);
  });

  it('a unit code of another era finds no figures: the snapshot says where it went instead of printing an empty table', {
    timeout: 180_000,
  }, async () => {
    const moved = await tonghop(
      'snapshot',
      '--level',
      'commune',
      '--unit',
      '03156',
      '--boundaries',
      'current',
      '--period',
      '2023-Q2',
    );
    expect(moved.code).toBe(1);
    expect(moved.stdout).toBe('');
    expect(moved.stderr).toContain(
      '03156 Xã Nậm Tin (commune, until 2025-06-30) went into 03166 Xã Mường Chà since 2025-07-01.',
    );
    // The other cases of the same hint, asked directly.
    expect(await eraHint(services.db, 'province', '02', '2026-01-01')).toContain(
      '02 Tỉnh Hà Giang (province, until 2025-06-30) went into 08 Tỉnh Tuyên Quang since 2025-07-01.',
    );
    expect(await eraHint(services.db, 'commune', '11948', '2023-06-30')).toContain(
      '11948 Đặc khu Bạch Long Vĩ is a commune from 2025-07-01, not yet on 2023-06-30',
    );
    expect(await eraHint(services.db, 'commune', '99999', '2023-06-30')).toContain(
      "No commune 99999 in any era's units",
    );
    expect(await eraHint(services.db, 'commune', '03166', '2023-06-30')).toBeNull();
    // A unit of the era asked for with nothing reported yet is no error.
    expect(
      (
        await tonghop(
          'snapshot',
          '--level',
          'commune',
          '--unit',
          '03166',
          '--boundaries',
          'current',
          '--period',
          '2023-Q2',
        )
      ).code,
    ).toBe(0);
  });

  it('finds the server on PORT when TONGHOP_URL is unset, and names it on a line of its own when it does not answer', {
    timeout: 120_000,
  }, async () => {
    expect(serverUrl({ PORT: 4123, HOST: '0.0.0.0', TONGHOP_URL: undefined })).toBe('http://127.0.0.1:4123');
    expect(serverUrl({ PORT: 4123, HOST: '0.0.0.0', TONGHOP_URL: 'https://tonghop.example.vn' })).toBe(
      'https://tonghop.example.vn',
    );
    // A port nothing listens on: one the system just handed out and took back.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    server.close();
    // No retrying here: how a client waits out an outage is test/cli/submit-outage.test.ts.
    const env = {
      ...services.env,
      PORT: String(port),
      TONGHOP_TOKEN: 'th_x',
      LOG_LEVEL: 'silent',
      CLIENT_RETRY_S: '0',
    };
    for (const command of ['submit', 'validate']) {
      const failed = await run(process.execPath, [bin, command, join(namPo, '03156-hts-ban-2023-Q2.csv')], {
        env: { ...process.env, ...env },
      }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      const { code, stdout, stderr } = failed as { code: number; stdout: string; stderr: string };
      expect(code).toBe(1);
      expect(stdout === '' || stdout.endsWith('\n'), `${command} leaves no line open: ${JSON.stringify(stdout)}`).toBe(
        true,
      );
      expect(stderr).toMatch(
        new RegExp(
          `^tonghop: The tonghop server at http://127\\.0\\.0\\.1:${port} does not answer \\(connect ECONNREFUSED ` +
            `127\\.0\\.0\\.1:${port}\\)\\. Start it .* or set TONGHOP_URL`,
          'u',
        ),
      );
    }
  });

  it('`validate FILE…` checks files as the server would and stores nothing', async () => {
    const running = await services.start('ingest');
    const token = (await tonghop('token', 'create', '--province', '11', '--role', 'submit', 'read')).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'tonghop-validate-'));
    const bad = join(dir, '03165-hts-ban-2023-Q2.csv');
    writeFileSync(
      bad,
      readFileSync(join(namPo, '03165-hts-ban-2023-Q2.csv'), 'utf8').replace(
        /\n(03165,[^,]*,[^,]*),\d+,/u,
        '\n$1,nhiều,',
      ),
    );
    const { code, stdout } = await runTonghop(['validate', join(namPo, '03156-hts-ban-2023-Q2.csv'), bad], {
      ...services.env,
      TONGHOP_URL: running.url!,
      TONGHOP_TOKEN: token,
    });
    expect(stdout).toMatch(/03156-hts-ban-2023-Q2\.csv\s+hợp lệ \/ valid\s+HTS-BAN\s+03156\s+2023-Q2/u);
    expect(stdout).toMatch(/03165-hts-ban-2023-Q2\.csv\s+sẽ bị từ chối \/ would be rejected/u);
    expect(stdout).toMatch(/\n03165-hts-ban-2023-Q2\.csv:\n.*\n.*\n\s*2\s+Số hộ\s+nhiều\s+/u);
    expect(stdout).toContain(
      '2 tệp / files: 1 hợp lệ / valid, 1 sẽ bị từ chối / would be rejected; không lưu gì / nothing stored',
    );
    expect(code).toBe(1);
    expect(await services.db.selectFrom('submission').select('id').execute()).toEqual([]);
  }, 180_000);
});
