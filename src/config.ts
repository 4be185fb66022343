import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Everything tonghop reads from its environment, with the default each setting takes.
 * Nothing else in the program reads `process.env`.
 */
export const configSchema = z.object({
  /** Postgres. The database is created if it does not exist. @defaultValue a local database named `tonghop` */
  DATABASE_URL: z.string().default('postgres://127.0.0.1:5432/tonghop'),
  /** Redis, which carries only job ids. @defaultValue `redis://127.0.0.1:6379` */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Key prefix of every BullMQ key, so several installations (or test files) share one Redis. @defaultValue `tonghop` */
  QUEUE_PREFIX: z.string().default('tonghop'),
  /** HTTP port of the ingest service. @defaultValue 3000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Address the HTTP listeners bind (PORT, METRICS_PORT): `127.0.0.1` keeps them to this machine, behind a proxy on it.
   * @defaultValue `0.0.0.0` (every interface, as a container needs)
   */
  HOST: z.string().default('0.0.0.0'),
  /** The tonghop server `tonghop submit` and `tonghop validate` talk to. @defaultValue this machine on PORT: `http://127.0.0.1:3000` (see serverUrl) */
  TONGHOP_URL: z.string().optional(),
  /**
   * How long `tonghop submit` and `tonghop validate` keep trying a server that does not answer or answers 503, with
   * backoff, before giving up. @defaultValue 600 (10 minutes)
   */
  CLIENT_RETRY_S: z.coerce.number().int().min(0).default(600),
  /** The bearer token `tonghop submit` sends. @defaultValue none */
  TONGHOP_TOKEN: z.string().optional(),
  /** The password `tonghop user create` sets, instead of asking for it. @defaultValue none (asked on the terminal) */
  TONGHOP_PASSWORD: z.string().optional(),
  /** Hours a person's login lasts before they log in again. @defaultValue 12 */
  SESSION_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(12),
  /**
   * Behind a TLS-terminating proxy: which X-Forwarded-* headers to trust, so the session cookie is
   * marked Secure and the login limit sees the officer's address. Either the number of proxies in
   * front of tonghop (`1`: the address the nearest proxy saw), or their addresses and ranges,
   * comma-separated (`10.0.0.5,10.1.0.0/16`). `true` is refused: trusting every hop lets a client
   * write its own X-Forwarded-For and pick the address the login limit counts. @defaultValue false
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, ctx): false | number | string[] => {
      if (value === '' || value === 'false' || value === '0') return false;
      if (/^\d+$/u.test(value)) return Number(value);
      const addresses = value
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '');
      if (value !== 'true' && addresses.every((a) => isIP(a.split('/')[0]!) !== 0)) return addresses;
      ctx.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY: give the number of proxies in front (1) or their addresses (10.0.0.5,10.1.0.0/16), not true',
      });
      return z.NEVER;
    }),
  /** pino level. @defaultValue `info` */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Port of the small HTTP listener (`/metrics`, `/health/*`) of `worker` and `rollup` processes; `ingest` and `all`
   * serve `/metrics` on PORT. @defaultValue 9464
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /**
   * When set, `/metrics` answers only a request with `Authorization: Bearer <METRICS_TOKEN>` (Prometheus's
   * `authorization` setting). @defaultValue none (open)
   */
  METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Serve `/metrics` of an `ingest` or `all` process on METRICS_PORT, as workers do, instead of on PORT: a port the
   * firewall keeps to Prometheus. @defaultValue false
   */
  METRICS_SEPARATE_PORT: z.stringbool().default(false),
  /** Name a worker process stores on each job it takes (BullMQ `processedBy`), to tell workers apart on the dashboard. @defaultValue `<hostname>-<pid>` */
  WORKER_NAME: z.string().min(1).optional(),
  /**
   * Jobs one normalize worker process holds at once (BullMQ concurrency); those that wait while a batch is written are
   * decided together in the next, up to 64 at a time. @defaultValue 128
   */
  NORMALIZE_CONCURRENCY: z.coerce.number().int().min(1).default(128),
  /** Milliseconds a province-period must be quiet (no new change) before its rollup runs, so one rollup covers a burst. @defaultValue 250 */
  ROLLUP_DEBOUNCE_MS: z.coerce.number().int().min(0).default(250),
  /**
   * Milliseconds at most between a province-period's first change not yet rolled up and its rollup, however steadily
   * changes keep coming (a change that comes while a rollup runs may add up to ROLLUP_DEBOUNCE_MS: BullMQ counts its
   * wait from the end of that run). @defaultValue 1500
   */
  ROLLUP_MAX_WAIT_MS: z.coerce.number().int().min(0).default(1500),
  /**
   * Unix nice (0–19) a `worker` or `rollup` process lowers itself to at start: on a machine it shares with the ingest
   * service, analysts' reads and uploads are served first while the queue holds the batch's work. 0 leaves the process
   * as it was started; `--role all` (which serves HTTP too) is never lowered. @defaultValue 10
   */
  BATCH_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * `on`: a serving process (`ingest`, `all`) sends its small SELECTs as named prepared statements, planned once per
   * connection (src/db/connect.ts). Set `off` behind a pooler in transaction mode that does not track prepared
   * statements (PgBouncer before 1.21, or with `max_prepared_statements = 0`): its client connections share server
   * connections, and a statement prepared by one is missing, or taken, for the next (`prepared statement … already
   * exists`). @defaultValue on
   */
  DATABASE_PREPARE: z
    .enum(['on', 'off'])
    .default('on')
    .transform((v) => v === 'on'),
  /**
   * Data-quality warnings (SPEC §8): `off` skips judging reports against their history, bounds and consistency checks,
   * in the worker and in POST /v1/validate (to measure what they cost, or to shed load). @defaultValue on
   */
  QUALITY_WARNINGS: z
    .enum(['on', 'off'])
    .default('on')
    .transform((v) => v === 'on'),
  /** Milliseconds between a process's looks at the form catalog in Postgres: a form imported anywhere is served everywhere within this. @defaultValue 1000 */
  FORMS_POLL_MS: z.coerce.number().int().min(50).default(1000),
  /** Seconds between reconciler sweeps. @defaultValue 30 */
  RECONCILE_INTERVAL_S: z.coerce.number().min(0.05).default(30),
  /** Seconds a submission may stay queued or processing before the reconciler enqueues it again. @defaultValue 60 */
  RECONCILE_STALE_S: z.coerce.number().min(0).default(60),
  /**
   * Seconds a job's lock lasts (renewed at half-time while it runs), and between stalled-job checks: a killed worker's
   * jobs are taken over after one to two of these. @defaultValue 30 (BullMQ's)
   */
  JOB_LOCK_S: z.coerce.number().min(1).default(30),
  /**
   * Times a submission may be started without reaching an outcome before the reconciler rejects it as PROCESSING_FAILED
   * (a file that kills its worker must not kill every worker forever). @defaultValue 10
   */
  NORMALIZE_MAX_RUNS: z.coerce.number().int().min(1).default(10),
  /** Requests one token may make per rate-limit window; over it, 429. @defaultValue 1200 */
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).default(1200),
  /**
   * Reads (GET, HEAD) one valid token or login session may make per rate-limit window from one client address, counted apart
   * from RATE_LIMIT_REQUESTS: a province's dashboard opened by a few analysts on one token makes a dozen reads per page
   * and refresh each, and must neither be refused nor use up the token's uploads. @defaultValue 6000
   */
  RATE_LIMIT_READ_REQUESTS: z.coerce.number().int().min(1).default(6000),
  /**
   * The addresses' worth of reads one token or session may make in all per window (this times
   * RATE_LIMIT_READ_REQUESTS): a leaked token read from many addresses stops there. @defaultValue 4
   */
  RATE_LIMIT_READ_ADDRESSES: z.coerce.number().int().min(1).default(4),
  /** Request bytes (by Content-Length) one token may send per rate-limit window; over it, 429. @defaultValue 500 MiB */
  RATE_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(500 * 1024 * 1024),
  /** Length of the fixed rate-limit window, in seconds. @defaultValue 60 */
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).default(60),
  /** Largest request body (all files of one upload together), in bytes. @defaultValue 50 MiB */
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  /** How long a file that passed "check before sending" is kept to be sent without uploading it again, in seconds. @defaultValue 30 minutes */
  CHECKED_FILE_TTL_S: z.coerce
    .number()
    .int()
    .min(0)
    .default(30 * 60),
  /** The most bytes of checked files kept for one principal; the oldest go first. @defaultValue 50 MiB */
  CHECKED_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(50 * 1024 * 1024),
  /** Largest upload, in bytes. @defaultValue 10 MiB */
  MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  /** Most data rows in one file (a province-wide bulk file fits). @defaultValue 200000 */
  MAX_ROWS: z.coerce.number().int().min(1).default(200_000),
  /** Most columns in one file. @defaultValue 64 */
  MAX_COLUMNS: z.coerce.number().int().min(1).default(64),
  /** Most rows a JSON snapshot answer holds; past it the request is refused (413) and CSV/XLSX exports, streamed, have no bound. @defaultValue 100000 */
  JSON_ROW_LIMIT: z.coerce.number().int().min(1).default(100_000),
  /** Longest cell, in characters. @defaultValue 1000 */
  MAX_CELL_CHARS: z.coerce.number().int().min(1).default(1000),
  /** Largest uncompressed XLSX content, against zip bombs. @defaultValue 100 MiB */
  MAX_UNCOMPRESSED_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(100 * 1024 * 1024),
  /** Most sheets in one workbook. @defaultValue 10 */
  MAX_SHEETS: z.coerce.number().int().min(1).default(10),
  /** Issues kept and shown per file; beyond them a file's answer says how many more of each code exist. @defaultValue 1000 */
  MAX_ISSUES: z.coerce.number().int().min(1).default(1000),
  /** Most files in one upload request (multipart parts of type file); over it, 413. @defaultValue 50 */
  MAX_UPLOAD_FILES: z.coerce.number().int().min(1).default(50),
  /** Most fields besides the files in one upload request; over it, 400. @defaultValue 20 */
  MAX_UPLOAD_FIELDS: z.coerce.number().int().min(1).default(20),
  /** Most report files taken out of the ZIP archives of one upload (a province's communes, two forms each, fit). @defaultValue 1000 */
  MAX_ARCHIVE_ENTRIES: z.coerce.number().int().min(1).default(1000),
  /** Most bytes the ZIP archives of one upload inflate to, together: they are held in memory and stored in one transaction. @defaultValue 50 MiB */
  MAX_ARCHIVE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  /** Largest ratio of a ZIP archive's inflated size to its own, against zip bombs (report files compress 5 to 20 times). @defaultValue 100 */
  MAX_ARCHIVE_RATIO: z.coerce.number().int().min(1).default(100),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return configSchema.parse(env);
}

/** Where the CLI finds the server: TONGHOP_URL, else this machine on the port `tonghop start` listens on. */
export function serverUrl(config: Pick<Config, 'TONGHOP_URL' | 'PORT' | 'HOST'>): string {
  if (config.TONGHOP_URL) return config.TONGHOP_URL;
  const host =
    config.HOST === '0.0.0.0' || config.HOST === '::'
      ? '127.0.0.1'
      : config.HOST.includes(':')
        ? `[${config.HOST}]`
        : config.HOST;
  return `http://${host}:${config.PORT}`;
}
