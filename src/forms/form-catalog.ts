import type { Db } from '../db/connect.ts';
import { formDefinitionSchema, type FormDefinition } from '../schema/form-definition.ts';
import { compileForm, type Form } from '../schema/form.ts';
import type { Period } from '../schema/period.ts';

/**
 * The forms as the catalog serves them (SPEC §6): every stored version of every form, and which
 * version serves a period — the one whose `valid_from` is the latest on or before the period's
 * last day (no `valid_from`: every period), the later import winning a tie.
 */
export type FormCatalog = {
  /** The version of a form that serves a day (a period's last day); without a day, the newest version. */
  find(code: string, day?: string): Form | undefined;
  /** One version per form, each serving the day (without a day, the newest), in code order. */
  list(day?: string): readonly Form[];
  /** Every version of every form, by code then version. */
  versions(): readonly Form[];
  /** The stored import sequence this catalog reflects: it changes with every import. */
  readonly seq: number;
  /** Reads the stored versions again now, when they changed (a fixed catalog has nothing to read). */
  refresh(): Promise<void>;
};

export type StoredVersion = { version: number; definition: FormDefinition };

function servesDay(form: Form, day: string | undefined): boolean {
  return day === undefined || form.valid_from === undefined || form.valid_from <= day;
}

/** Newer first: the later `valid_from`, then the later import. */
function newer(a: Form, b: Form): number {
  const from = (b.valid_from ?? '').localeCompare(a.valid_from ?? '');
  return from !== 0 ? from : b.version - a.version;
}

/** A catalog of the given versions, fixed. */
export function formCatalogOf(stored: readonly StoredVersion[], seq = 0): FormCatalog {
  const all = stored
    .map((s) => compileForm(s.definition, s.version))
    .sort((a, b) => a.code.localeCompare(b.code) || a.version - b.version);
  const byCode = new Map<string, Form[]>();
  for (const f of all) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  for (const list of byCode.values()) list.sort(newer);
  const pick = (code: string, day?: string) => byCode.get(code)?.find((f) => servesDay(f, day));
  const codes = [...byCode.keys()].sort();
  return {
    find: (code, day) => pick(code.trim().toUpperCase(), day),
    list: (day) => codes.map((c) => pick(c, day)).filter((f) => f !== undefined),
    versions: () => all,
    seq,
    refresh: async () => {},
  };
}

/** Every stored version, and the import sequence they reflect. */
export async function loadStoredVersions(db: Db): Promise<{ versions: StoredVersion[]; seq: number }> {
  const rows = await db.selectFrom('form_definition').select(['seq', 'version', 'definition']).orderBy('seq').execute();
  return {
    // Stored only after passing the same schema: parsed again so that defaults added since are filled in.
    versions: rows.map((r) => ({ version: r.version, definition: formDefinitionSchema.parse(r.definition) })),
    seq: rows.reduce((max, r) => Math.max(max, r.seq), 0),
  };
}

/** A catalog that follows the database: `refresh` reads it again when an import happened. */
export type LiveFormCatalog = FormCatalog & { stop(): void };

/**
 * The catalog of a running process. It asks Postgres every `pollMs` for the newest import
 * sequence and reloads when it moved, so an import through any process (CLI, HTTP) is served by
 * every process within about that time, without a restart. A failed poll keeps the last catalog.
 */
export async function openFormCatalog(
  db: Db,
  options: { pollMs: number; onError?: (error: unknown) => void },
): Promise<LiveFormCatalog> {
  let current = formCatalogOf([], -1);
  const load = async () => {
    const { versions, seq } = await loadStoredVersions(db);
    current = formCatalogOf(versions, seq);
  };
  let polling: Promise<void> = Promise.resolve();
  const refresh = async () => {
    const row = await db
      .selectFrom('form_definition')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    if (Number(row?.seq ?? 0) !== current.seq) await load();
  };
  await load();
  const timer = setInterval(() => {
    polling = polling.then(refresh).catch((error: unknown) => options.onError?.(error));
  }, options.pollMs);
  timer.unref();
  return {
    find: (code, day) => current.find(code, day),
    list: (day) => current.list(day),
    versions: () => current.versions(),
    get seq() {
      return current.seq;
    },
    refresh: () => {
      const done = polling.then(refresh);
      polling = done.catch((error: unknown) => options.onError?.(error));
      return done;
    },
    stop: () => clearInterval(timer),
  };
}

/** The catalog as stored now, fixed: for one-off work (the CLI). */
export async function storedFormCatalog(db: Db): Promise<FormCatalog> {
  const { versions, seq } = await loadStoredVersions(db);
  return formCatalogOf(versions, seq);
}

/** The forms reported for a period: each in the version serving it, of the period's kind (a quarter has the quarterly forms). */
export function formsOfPeriod(catalog: FormCatalog, period: Period): readonly Form[] {
  return catalog.list(period.lastDay).filter((f) => f.periodicity === period.kind);
}
