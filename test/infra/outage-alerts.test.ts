import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Prometheus' own checker (Debian: `apt-get install prometheus`, as .ci/run does). */
const promtool = process.env.PROMTOOL_PATH ?? 'promtool';

describe('the outage alerts', () => {
  it('the rules file passes promtool check rules', async () => {
    const { stdout } = await run(promtool, ['check', 'rules', 'infra/prometheus/alerts.yml'], { cwd: root });
    expect(stdout).toContain('SUCCESS');
  });

  it('Postgres down and Redis down fire after a minute, and the reconciler alert only when lost jobs keep being found (promtool test rules)', async () => {
    const { stdout } = await run(promtool, ['test', 'rules', 'test/infra/outage-alerts.promtool.yml'], { cwd: root });
    expect(stdout).toContain('SUCCESS');
  });
});
