import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { configSchema } from '../../src/config.ts';
import { registerPipelineMetrics } from '../../src/metrics/pipeline-metrics.ts';
import { registerQueueMetrics } from '../../src/metrics/queue-metrics.ts';
import { createRegistry } from '../../src/metrics/registry.ts';
import { createWorkerMetrics } from '../../src/metrics/worker-metrics.ts';
import type { Queues } from '../../src/queue/queues.ts';
import { roles } from '../../src/start.ts';

/**
 * docker-compose.yml and infra/ checked without a Docker engine: what compose and Prometheus would
 * read must exist, name settings tonghop reads, and point at the ports tonghop listens on.
 */
const root = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const yaml = (path: string) => parse(read(path), { merge: true });

type Service = {
  build?: { context: string; dockerfile?: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
};
const compose = yaml('docker-compose.yml') as { services: Record<string, Service> };
const services = compose.services;
/** The services that run tonghop itself: built from our Dockerfile. */
const tonghop = Object.entries(services).filter(([, s]) => s.build !== undefined);

/** A bind mount's host path and container path: `./infra/x:/etc/x:ro`. */
function mounts(service: Service): { host: string; container: string }[] {
  return (service.volumes ?? [])
    .filter((v) => v.startsWith('./'))
    .map((v) => ({ host: v.split(':')[0]!, container: v.split(':')[1]! }));
}
function mountedFile(service: Service, containerPath: string): string {
  const m = mounts(service).find((x) => x.container === containerPath || containerPath.startsWith(`${x.container}/`));
  expect(m, `${containerPath} is mounted`).toBeDefined();
  return join(m!.host, containerPath.slice(m!.container.length));
}
/** The port a tonghop service serves /metrics on: PORT when it serves HTTP, else METRICS_PORT. */
function metricsPort(service: Service): number {
  const config = configSchema.parse(service.environment ?? {});
  return service.command?.includes('ingest') || service.command?.includes('all') ? config.PORT : config.METRICS_PORT;
}
/** The container ports a service publishes. */
function published(service: Service): number[] {
  return (service.ports ?? []).map((p) => Number(String(p).split(':').at(-1)));
}

/** Every metric name tonghop registers, with a histogram's _bucket/_sum/_count series. */
function knownMetrics(): Set<string> {
  const registry = createRegistry('test');
  createWorkerMetrics(registry);
  registerQueueMetrics(registry, {} as Queues);
  registerPipelineMetrics(registry, {} as Parameters<typeof registerPipelineMetrics>[1]);
  const names = new Set<string>();
  for (const m of registry.getMetricsAsArray())
    for (const suffix of ['', '_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`);
  return names;
}
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:tonghop|process|nodejs)_[a-z0-9_]+)/gu)].map((m) => m[1]!);
}

/** Debian's docker-compose (compose v1), when installed: the strictest parser of the file (.ci/run installs it). */
const composeV1 = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });

describe('docker-compose.yml', () => {
  it.skipIf(composeV1.status !== 0)(
    'is accepted by a real compose parser (docker-compose config), with nothing to warn about',
    () => {
      const checked = spawnSync(
        'docker-compose',
        ['--project-directory', root, '-f', join(root, 'docker-compose.yml'), 'config', '-q'],
        { encoding: 'utf8', timeout: 30_000 },
      );
      expect(checked.stderr).toBe('');
      expect(checked.status).toBe(0);
    },
  );

  it('keeps to what both compose v1 and the compose specification accept: no top-level name or version', () => {
    const top = Object.keys(yaml('docker-compose.yml') as object);
    expect(top.filter((k) => !k.startsWith('x-')).sort()).toEqual(['services', 'volumes']);
  });

  it("is valid under the compose specification's JSON schema", () => {
    // compose-spec/compose-spec, schema/compose-spec.json at 170098ba07d9f53c383a41bfd4c5166b0a4529a6 (Apache-2.0).
    // Its formats (durations, ports) are compose's own: docker-compose config checks those.
    // Draft-07, which Ajv knows by its http:// id; the file names it by https://.
    const { $schema: _draft, ...schema } = JSON.parse(read('test/infra/compose-spec.json')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const valid = validate(yaml('docker-compose.yml'));
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('has the whole stack: postgres, redis, ingest, worker (replicas), rollup, prometheus, grafana', () => {
    expect(Object.keys(services).sort()).toEqual([
      'grafana',
      'ingest',
      'postgres',
      'prometheus',
      'redis',
      'rollup',
      'worker',
    ]);
    expect(services.worker!.deploy?.replicas).toBeGreaterThanOrEqual(2);
    const started = Object.fromEntries(tonghop.map(([name, s]) => [name, s.command]));
    expect(started).toEqual({
      ingest: ['start', '--role', 'ingest'],
      worker: ['start', '--role', 'worker'],
      rollup: ['start', '--role', 'rollup'],
    });
    for (const [, s] of tonghop) expect(roles).toContain(s.command!.at(-1));
  });

  it("every service's build context, Dockerfile and mounted file exists", () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) {
        expect(statSync(join(root, s.build.context)).isDirectory(), `${name} build context`).toBe(true);
        expect(existsSync(join(root, s.build.context, s.build.dockerfile ?? 'Dockerfile')), `${name} Dockerfile`).toBe(
          true,
        );
      } else {
        expect(s.image, `${name} has an image`).toMatch(/^[a-z/]+:[\w.-]+$/u);
      }
      for (const m of mounts(s)) expect(existsSync(join(root, m.host)), `${name} mounts ${m.host}`).toBe(true);
    }
  });

  it('gives tonghop only settings it reads (src/config.ts), with valid values', () => {
    const known = Object.keys(configSchema.shape);
    for (const [name, s] of tonghop) {
      expect(
        Object.keys(s.environment ?? {}).filter((k) => !known.includes(k)),
        `${name}: unknown settings`,
      ).toEqual([]);
      expect(() => configSchema.parse(s.environment ?? {}), name).not.toThrow();
      expect(s.environment?.DATABASE_URL, name).toMatch(/@postgres:5432\//u);
      expect(s.environment?.REDIS_URL, name).toMatch(/^redis:\/\/redis:6379/u);
    }
  });

  it('publishes the web port and every metrics port', () => {
    expect(published(services.ingest!)).toContain(configSchema.parse(services.ingest!.environment).PORT);
    for (const [name, s] of tonghop) expect(published(s), name).toContain(metricsPort(s));
    expect(published(services.prometheus!)).toContain(9090);
    expect(published(services.grafana!)).toContain(3000);
  });

  it('runs Redis as BullMQ needs it: append-only and noeviction', () => {
    const redis = services.redis!;
    expect(redis.command).toEqual(['redis-server', '/usr/local/etc/redis/redis.conf']);
    const conf = read(mountedFile(redis, '/usr/local/etc/redis/redis.conf'));
    const settings = new Map(
      conf
        .split('\n')
        .filter((l) => /^\w/u.test(l))
        .map((l) => [l.split(/\s+/u)[0]!, l.split(/\s+/u).slice(1).join(' ')]),
    );
    expect(settings.get('appendonly')).toBe('yes');
    expect(settings.get('maxmemory-policy')).toBe('noeviction');
  });
});

describe('infra/prometheus', () => {
  const prometheus = services.prometheus!;
  const config = yaml(mountedFile(prometheus, '/etc/prometheus/prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; metrics_path?: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
  };

  it('scrapes every tonghop service on its metrics port', () => {
    for (const [name, s] of tonghop) {
      const jobs = config.scrape_configs.filter((j) => j.dns_sd_configs?.some((d) => d.names.includes(name)));
      expect(jobs, `a scrape job for ${name}`).toHaveLength(1);
      expect(jobs[0]!.metrics_path ?? '/metrics').toBe('/metrics');
      expect(jobs[0]!.dns_sd_configs!.find((d) => d.names.includes(name))!.port, `${name} metrics port`).toBe(
        metricsPort(s),
      );
    }
  });

  it('has alert rules that parse, for a growing backlog, failures, snapshot lag and a worker kind with no consumers, on metrics tonghop serves', () => {
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const rules = yaml(mountedFile(prometheus, config.rule_files[0]!)) as {
      groups: {
        name: string;
        rules: {
          alert: string;
          expr: string;
          for?: string;
          labels?: { severity?: string };
          annotations?: { summary?: string; description?: string };
        }[];
      }[];
    };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'TonghopBacklogGrowing',
        'TonghopJobsFailed',
        'TonghopSnapshotLagHigh',
        'TonghopNoWorkers',
      ]),
    );
    const known = knownMetrics();
    for (const rule of all) {
      expect(rule.expr, rule.alert).toBeTruthy();
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.for ?? '0m', rule.alert).toMatch(/^\d+[smh]$/u);
      for (const metric of metricNames(rule.expr)) expect(known.has(metric), `${rule.alert} uses ${metric}`).toBe(true);
    }
    // The runbook explains each alert to the operator.
    const runbook = read('docs/operations.md');
    for (const rule of all)
      expect(new RegExp(`^#+ ${rule.alert}$`, 'mu').test(runbook), `docs/operations.md explains ${rule.alert}`).toBe(
        true,
      );
  });
});

describe('infra/grafana', () => {
  const grafana = services.grafana!;
  it('provisions the Prometheus data source and a dashboard whose queries use metrics tonghop serves', () => {
    const datasource = yaml(mountedFile(grafana, '/etc/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasource.datasources[0]!.url).toBe('http://prometheus:9090');
    const provider = yaml(mountedFile(grafana, '/etc/grafana/provisioning/dashboards/tonghop.yml')) as {
      providers: { options: { path: string } }[];
    };
    const dashboard = JSON.parse(read(mountedFile(grafana, `${provider.providers[0]!.options.path}/tonghop.json`))) as {
      panels: { type: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
    };
    const known = knownMetrics();
    const queries = dashboard.panels.filter((p) => p.type !== 'row');
    expect(queries.length).toBeGreaterThan(5);
    for (const panel of queries) {
      expect(panel.datasource?.uid).toBe(datasource.datasources[0]!.uid);
      for (const target of panel.targets ?? [])
        for (const metric of metricNames(target.expr)) expect(known.has(metric), metric).toBe(true);
    }
  });
});

describe('infra/Dockerfile', () => {
  const dockerfile = read(join(services.ingest!.build!.context, services.ingest!.build!.dockerfile!));
  const instructions = dockerfile
    .split('\n')
    .filter((l) => /^[A-Z]+\s/u.test(l))
    .map((l) => ({ op: l.split(/\s+/u)[0]!, args: l.slice(l.indexOf(' ') + 1).trim() }));

  it('builds in stages from Node 26 slim (the Node npm ci brings), installs production dependencies only, and runs as a non-root user', () => {
    const froms = instructions.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:26-slim\b/u);
    expect(instructions.some((i) => i.op === 'RUN' && /npm ci\b.*--omit=dev/u.test(i.args))).toBe(true);
    const users = instructions.filter((i) => i.op === 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).not.toMatch(/^(root|0)(:|$)/u);
    // The user is set before the process starts.
    expect(instructions.findIndex((i) => i.op === 'USER')).toBeLessThan(
      instructions.findIndex((i) => i.op === 'ENTRYPOINT'),
    );
  });

  it('copies what exists and starts bin/tonghop.js', () => {
    for (const copy of instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      for (const source of copy.args.split(/\s+/u).slice(0, -1))
        expect(existsSync(join(root, source)), source).toBe(true);
    }
    expect(JSON.parse(instructions.find((i) => i.op === 'ENTRYPOINT')!.args)).toEqual(['node', 'bin/tonghop.js']);
    expect(JSON.parse(instructions.find((i) => i.op === 'CMD')!.args)[0]).toBe('start');
    // What the image leaves out must not include what it needs.
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of ['bin', 'src', 'package.json', 'package-lock.json']) expect(ignored).not.toContain(needed);
  });
});
