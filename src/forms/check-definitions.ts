import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { communesReporting, formDefinitionSchema, type FormDefinition } from '../schema/form-definition.ts';
import type { Bilingual } from '../schema/issue.ts';

/** One problem of a definition file, at its path inside the file (`fields[3].type`). */
export type DefinitionProblem = { file: string; path: string; message: Bilingual };

/** A definition file as given: a name to report problems under, and its YAML or JSON text (or an already parsed value). */
export type DefinitionSource = { name: string; text?: string; value?: unknown };

/** A definition's content as stored: defaults filled in, keys in one order, so that an identical re-import is recognised. */
export function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sorted(value));
}

export function definitionDigest(def: FormDefinition): string {
  return createHash('sha256').update(canonicalJson(def)).digest('hex');
}

const maxChars = 1_000_000;

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, p) => (typeof p === 'number' ? `${out}[${p}]` : out === '' ? String(p) : `${out}.${String(p)}`),
    '',
  );
}

function parseText(source: DefinitionSource): { value: unknown } | { problem: Bilingual } {
  if (source.value !== undefined) return { value: source.value };
  const text = source.text ?? '';
  if (text.length > maxChars)
    return {
      problem: {
        vi: `Tệp định nghĩa quá lớn (tối đa ${maxChars} ký tự).`,
        en: `The definition is too large (at most ${maxChars} characters).`,
      },
    };
  try {
    // YAML 1.2 reads JSON as well; dates stay text (valid_from: 2024-01-01 is the string "2024-01-01").
    return { value: parseYaml(text, { maxAliasCount: 50, prettyErrors: false }) };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { problem: { vi: `Không đọc được YAML/JSON: ${detail}`, en: `Not readable as YAML or JSON: ${detail}` } };
  }
}

/**
 * Checks definition files as a whole before anything is stored (SPEC §6): each against the schema
 * (every problem at its path, in Vietnamese and English), then against each other and the forms
 * already stored: an indicator code is unique across all forms, and two files of one import may
 * not define the same code. `stored` is every stored version of every form.
 */
export function checkDefinitions(
  sources: readonly DefinitionSource[],
  stored: readonly FormDefinition[],
): { definitions: FormDefinition[] } | { problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const definitions: FormDefinition[] = [];
  // What the cross-checks need, read loosely: a file with other problems still has them listed.
  const read: { file: string; code: string | null; indicators: (string | null)[] }[] = [];
  for (const source of sources) {
    const parsed = parseText(source);
    if ('problem' in parsed) {
      problems.push({ file: source.name, path: '', message: parsed.problem });
      continue;
    }
    read.push({ file: source.name, ...looseCodes(parsed.value) });
    const en = formDefinitionSchema.safeParse(parsed.value);
    if (en.success) {
      definitions.push(en.data);
      continue;
    }
    const vi = formDefinitionSchema.safeParse(parsed.value, { error: z.locales.vi().localeError });
    en.error.issues.forEach((iss, i) => {
      const custom = (iss as { params?: { vi?: string } }).params?.vi;
      const viMessage = custom ?? (vi.success ? undefined : vi.error.issues[i]?.message) ?? iss.message;
      problems.push({ file: source.name, path: pathText(iss.path), message: { vi: viMessage, en: iss.message } });
    });
  }

  const fileOfCode = new Map<string, string>();
  for (const { file, code } of read) {
    if (code === null) continue;
    const other = fileOfCode.get(code);
    if (other !== undefined)
      problems.push({
        file,
        path: 'code',
        message: {
          vi: `Biểu mẫu ${code} đã có trong tệp ${other} của lần nhập này.`,
          en: `Form ${code} is also in ${other} of this import.`,
        },
      });
    fileOfCode.set(code, file);
  }
  // Indicator codes are unique across forms: over every stored version and the other files of this import.
  const formsOf = new Map<string, Set<string>>();
  const own = (indicator: string, form: string) =>
    formsOf.set(indicator, (formsOf.get(indicator) ?? new Set()).add(form));
  for (const def of stored) for (const ind of def.indicators) own(ind.code, def.code);
  for (const { code, indicators } of read)
    if (code !== null) for (const ind of indicators) if (ind !== null) own(ind, code);
  for (const { file, code, indicators } of read) {
    indicators.forEach((ind, i) => {
      const others = [...(formsOf.get(ind ?? '') ?? [])].filter((c) => c !== code).sort();
      if (ind !== null && others.length > 0) {
        problems.push({
          file,
          path: `indicators[${i}].code`,
          message: {
            vi: `Mã chỉ tiêu "${ind}" đã thuộc biểu mẫu ${others.join(', ')}.`,
            en: `The indicator code "${ind}" belongs to form ${others.join(', ')}.`,
          },
        });
      }
    });
  }
  // A consistency check names another form's measure (SPEC §8): that form, stored or in this import, must have it in some version.
  const measuresOf = new Map<string, Set<string>>();
  for (const def of [...stored, ...definitions])
    measuresOf.set(
      def.code,
      new Set([...(measuresOf.get(def.code) ?? []), communesReporting, ...Object.keys(def.measures)]),
    );
  for (const def of definitions) {
    const file = fileOfCode.get(def.code) ?? '';
    (def.consistency ?? []).forEach((c, i) => {
      const measures = measuresOf.get(c.form);
      if (!measures)
        problems.push({
          file,
          path: `consistency[${i}].form`,
          message: { vi: `Không có biểu mẫu ${c.form}.`, en: `There is no form ${c.form}.` },
        });
      else if (!measures.has(c.other))
        problems.push({
          file,
          path: `consistency[${i}].other`,
          message: {
            vi: `Biểu mẫu ${c.form} không có số đo "${c.other}".`,
            en: `Form ${c.form} has no measure "${c.other}".`,
          },
        });
    });
  }
  return problems.length > 0 ? { problems } : { definitions };
}

function looseCodes(value: unknown): { code: string | null; indicators: (string | null)[] } {
  const v = value as { code?: unknown; indicators?: unknown } | null;
  const code = typeof v?.code === 'string' ? v.code : null;
  const indicators = Array.isArray(v?.indicators)
    ? v.indicators.map((i: unknown) =>
        (i as { code?: unknown } | null)?.code === undefined || typeof (i as { code?: unknown }).code !== 'string'
          ? null
          : (i as { code: string }).code,
      )
    : [];
  return { code, indicators };
}
