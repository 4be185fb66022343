import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { promptNewPassword } from './cli/prompt-password.ts';
import { queueHealth, watchQueueHealth } from './cli/queues.ts';
import { submitFiles } from './cli/submit.ts';
import { validateFiles } from './cli/validate.ts';
import { registerAccountCommands } from './cli/account-commands.ts';
import { registerCycleCommands } from './cli/cycle-commands.ts';
import { registerSnapshotCommand } from './cli/snapshot-command.ts';
import { registerQualityCommands } from './cli/quality-commands.ts';
import { audit, cliActor } from './cycle/audit.ts';
import { loadConfig, serverUrl } from './config.ts';
import { connectDb, ensureDatabase, type Db } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { exportForm, formatImport, importFormFiles } from './cli/forms.ts';
import { storedFormCatalog } from './forms/form-catalog.ts';
import { seedShippedForms } from './forms/shipped-forms.ts';
import { createQueues, queueNames, type QueueName } from './queue/queues.ts';
import { retryFailed } from './queue/retry-failed.ts';
import { checkRedis } from './queue/check-redis.ts';
import type { RollupJob } from './schema/jobs.ts';
import { vietnamDay } from './schema/vietnam-day.ts';
import { ServiceUnreachableError } from './service-unreachable.ts';
import { roles, start, type Role } from './start.ts';
import { importBuiltinUnits } from './units/builtin.ts';
import { importCrosswalk, importUnits, unitsFromCsv, type UnitImport } from './units/import.ts';
import { importVillageAssignments, villageAssignmentsFromCsv } from './units/village-assignment.ts';
import { markEverySnapshotDue } from './workers/rollup/mark-due.ts';
import { rollupProvincePeriod } from './workers/rollup/persist.ts';

const config = loadConfig();
const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** `1 province`, `2 provinces`: counts a person reads. */
const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const unitCounts = (c: UnitImport) =>
  `${counted(c.provinces, 'province')}, ${counted(c.districts, 'district')}, ${counted(c.communes, 'commune')}`;

/** Opens the database (creating and migrating it), runs `work`, and closes it. */
async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  await ensureDatabase(config.DATABASE_URL);
  const db = connectDb(config.DATABASE_URL, { max: 2 });
  try {
    await migrateToLatest(db);
    await seedShippedForms(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** Runs due rollups here and now, so figures and their recast reflect what was just imported (a running worker would also pick them up). */
async function rollUp(db: Db, due: readonly RollupJob[]): Promise<void> {
  const forms = await storedFormCatalog(db);
  for (const job of due) await rollupProvincePeriod(db, forms, job, new Date());
  if (due.length > 0) process.stdout.write(`rolled up ${counted(due.length, 'province-period')} again\n`);
}

export const program = new Command('tonghop')
  .description('Commune reports in, district and province indicator snapshots out.')
  .version(
    `${version} (Node ${process.versions.node})`,
    '-V, --version',
    'print the version of tonghop and of the Node.js running it',
  )
  .helpOption('-h, --help', 'show what a command does and its options')
  .helpCommand('help [command]', 'show what a command does and its options');

program
  .command('start')
  .description('run the pipeline (applies migrations first)')
  .addOption(new Option('--role <role>', 'which part of the pipeline this process runs').choices(roles).default('all'))
  .action(async (opts: { role: Role }) => {
    const running = await start(config, opts.role);
    running.deps.log.info({ role: opts.role, url: running.url }, 'tonghop started');
    if (running.url) process.stdout.write(`tonghop (${opts.role}) listening on ${running.url}\n`);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      running.deps.log.info({ signal }, 'stopping: finishing jobs in flight');
      let code = 0;
      try {
        await running.stop();
        running.deps.log.info({ signal }, 'stopped');
      } catch (err) {
        running.deps.log.error({ err }, 'stop failed');
        code = 1;
      }
      // pino writes asynchronously: the last lines would be lost to an immediate exit.
      await new Promise<void>((resolve) => running.deps.log.flush(() => resolve()));
      process.exit(code);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });

program
  .command('migrate')
  .description('bring the database schema to the latest version')
  .action(async () => {
    await withDb(async () => undefined);
    process.stdout.write('migrations applied\n');
  });

const units = program
  .command('units')
  .description(
    'administrative units with their validity dates: a period is checked and rolled up on the units valid on ' +
      'its last day (since the reform of 1 July 2025 there are no districts)',
  );
units
  .command('import [file]')
  .description(
    'import a unit CSV (province_code,province_name,[district_code,district_name,]commune_code,commune_name[,valid_from,valid_to]), ' +
      'or with --builtin the national lists that ship with tonghop',
  )
  .option(
    '--builtin',
    `today's Vietnam and its history from data/units: the 2024 list valid until 2025-06-30, the 2025 list from 2025-07-01, and the crosswalk between them`,
  )
  .option('--valid-from <date>', 'first day the units of the file are valid (YYYY-MM-DD), for rows without valid_from')
  .option('--valid-to <date>', 'last day the units of the file are valid (YYYY-MM-DD), for rows without valid_to')
  .action(async (file: string | undefined, opts: { builtin?: boolean; validFrom?: string; validTo?: string }) => {
    if (opts.builtin) {
      if (file !== undefined || opts.validFrom || opts.validTo)
        throw new Error('--builtin takes no file and no dates: the eras of the shipped lists are fixed');
      await withDb(async (db) => {
        const result = await importBuiltinUnits(db);
        for (const list of result.lists) process.stdout.write(`${list.file}: imported ${unitCounts(list)}\n`);
        process.stdout.write(
          `vn-commune-crosswalk-2025.csv: imported ${counted(result.crosswalkPairs, 'crosswalk pair')}\n`,
        );
        await audit(db, cliActor(), [
          {
            action: 'units.import',
            subject: { builtin: true, lists: result.lists.map((l) => l.file), crosswalkPairs: result.crosswalkPairs },
            at: new Date(),
          },
        ]);
        await rollUp(db, await markEverySnapshotDue(db));
      });
      return;
    }
    if (file === undefined)
      throw new Error('give a unit CSV file, or --builtin for the national lists that ship with tonghop');
    const versions = unitsFromCsv(await readFile(file, 'utf8'), opts);
    await withDb(async (db) => {
      const counts = await importUnits(db, versions);
      process.stdout.write(`imported ${unitCounts(counts)}\n`);
      await audit(db, cliActor(), [{ action: 'units.import', subject: { file, ...counts, ...opts }, at: new Date() }]);
      await rollUp(db, await markEverySnapshotDue(db));
    });
  });
units
  .command('crosswalk')
  .description(
    'which of the communes after the 2025 reform each commune before it went into (old→new commune code pairs); ' +
      "it lets old periods be recast onto today's units and names the successors of a retired commune",
  )
  .command('import <file>')
  .description('import old→new commune pairs (old_commune_code,new_commune_code); importing again adds nothing twice')
  .action(async (file: string) => {
    const text = await readFile(file, 'utf8');
    await withDb(async (db) => {
      const n = await importCrosswalk(db, text);
      process.stdout.write(`imported ${counted(n, 'crosswalk pair')}\n`);
      await audit(db, cliActor(), [{ action: 'units.crosswalk_import', subject: { file, pairs: n }, at: new Date() }]);
      await rollUp(db, await markEverySnapshotDue(db));
    });
  });
units
  .command('village-assignment')
  .description(
    "which of today's communes each village of an old commune split by the 2025 reform went into; until every " +
      'village is assigned, the recast figures of its successors are marked approximate',
  )
  .command('import <file>')
  .description(
    'import where the villages of old communes split by the 2025 reform went (old_commune_code,village,new_commune_code; ' +
      'an empty village places the commune office); replaces the assignment of each old commune in the file',
  )
  .action(async (file: string) => {
    const rows = villageAssignmentsFromCsv(await readFile(file, 'utf8'));
    await withDb(async (db) => {
      const result = await importVillageAssignments(db, rows, vietnamDay(new Date()));
      process.stdout.write(
        `imported ${counted(result.assignments, 'village assignment')} of ${counted(result.communes, 'old commune')}\n`,
      );
      await audit(db, cliActor(), [
        {
          action: 'units.village_assignment_import',
          subject: { file, assignments: result.assignments, communes: result.communes },
          at: new Date(),
        },
      ]);
      await rollUp(db, result.due);
    });
  });

const forms = program.command('forms').description('form definitions: data, with versions (SPEC §6)');
forms
  .command('import <files...>')
  .description(
    'check definition files (YAML or JSON) and store them, all or none; figures of the periods a new version serves are computed again',
  )
  .action(async (files: string[]) => {
    await withDb(async (db) => {
      const outcome = await importFormFiles(db, files);
      if ('problems' in outcome) {
        process.stderr.write(formatImport(outcome));
        process.exitCode = 1;
        return;
      }
      process.stdout.write(formatImport(outcome));
      await rollUp(db, outcome.due);
    });
  });
forms
  .command('export <code>')
  .description('print a form definition as YAML (the version serving the latest periods, or --version N)')
  .option('--version <n>', 'the version to print')
  .action(async (code: string, opts: { version?: string }) => {
    const text = await withDb((db) =>
      exportForm(db, code, opts.version === undefined ? undefined : Number(opts.version)),
    );
    if (text === null) {
      process.stderr.write(`no form ${code}\n`);
      process.exitCode = 1;
    } else process.stdout.write(text);
  });

registerAccountCommands(program, withDb, async () => config.TONGHOP_PASSWORD ?? (await promptNewPassword()));

type ReportOptions = { form?: string; commune?: string; period?: string; token?: string };
function tokenOf(opts: ReportOptions): string {
  const token = opts.token ?? config.TONGHOP_TOKEN;
  if (!token) throw new Error('no token: pass --token or set TONGHOP_TOKEN (create one with `tonghop token create`)');
  return token;
}
const givenOf = (opts: ReportOptions) => ({ form: opts.form, commune: opts.commune, period: opts.period });

/** submit and validate send files the same way: to the server, with what a file does not say itself, and a token. */
for (const [name, does, send] of [
  [
    'submit',
    `upload report files to the server (TONGHOP_URL, else ${serverUrl({ ...config, TONGHOP_URL: undefined })} ` +
      `from PORT) and wait for each to be accepted or rejected; exit 1 if any is rejected`,
    submitFiles,
  ],
  [
    'validate',
    'check report files as a submission is checked, storing nothing ("check before sending"): the server\'s POST ' +
      '/v1/validate, with the same URL and token as submit; exit 1 if any would be rejected',
    validateFiles,
  ],
] as const) {
  program
    .command(`${name} <files...>`)
    .description(does)
    .option('--form <code>', 'the form code, when the file does not say (tonghop forms export, GET /v1/forms)')
    .option('--commune <code>', 'the commune code, when the file does not say')
    .option('--period <period>', 'the period, when the file does not say (e.g. 2023-Q2)')
    .option('--token <token>', 'bearer token (default TONGHOP_TOKEN)')
    .action(async (files: string[], opts: ReportOptions) => {
      process.exitCode = await send({
        url: serverUrl(config),
        token: tokenOf(opts),
        files,
        given: givenOf(opts),
        out: process.stdout,
        retryForMs: config.CLIENT_RETRY_S * 1000,
      });
    });
}

/** Connects to the queues, runs `work`, and closes them. */
async function withQueues<T>(work: (queues: ReturnType<typeof createQueues>) => Promise<T>): Promise<T> {
  await checkRedis(config.REDIS_URL);
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  try {
    return await work(queues);
  } finally {
    await queues.close();
  }
}

const queuesCommand = program
  .command('queues')
  .description('queue health: jobs by state and workers per queue')
  .option('--watch [seconds]', 'redraw every N seconds until Ctrl-C (default 2)')
  .action(async (opts: { watch?: boolean | string }) => {
    await withQueues(async (queues) => {
      if (opts.watch === undefined) {
        process.stdout.write(`${await queueHealth(queues)}\n`);
        return;
      }
      const seconds = opts.watch === true ? 2 : Number(opts.watch);
      if (!(seconds > 0)) throw new Error(`--watch takes a number of seconds, not ${String(opts.watch)}`);
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      await watchQueueHealth(queues, seconds, process.stdout, stop.signal);
    });
  });
queuesCommand
  .command('retry')
  .description('move every failed job back to waiting, for the workers to run again')
  .addOption(new Option('--queue <queue>', 'only this queue (default: every queue)').choices(Object.values(queueNames)))
  .action(async (opts: { queue?: QueueName }) => {
    const retried = await withQueues((queues) =>
      retryFailed(queues, opts.queue ? [opts.queue] : Object.values(queueNames)),
    );
    for (const [queue, n] of Object.entries(retried))
      process.stdout.write(`${queue}: ${n} failed job${n === 1 ? '' : 's'} moved back to waiting\n`);
  });

registerSnapshotCommand(program, withDb);
registerCycleCommands(program, withDb);
registerQualityCommands(program, withDb);

/** Runs the command line; a failure is one line on stderr and exit code 1. */
export async function run(argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const message = error instanceof ServiceUnreachableError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`tonghop: ${message}\n`);
    process.exitCode = 1;
  }
}
