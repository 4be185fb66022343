import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formDefinitionSchema, type FormDefinition } from '../schema/form-definition.ts';
import type { Bilingual } from '../schema/issue.ts';

/** One problem of a definition file, at its path inside the file (`fields[3].type`). */
export type DefinitionProblem = { file: string; path: string; message: Bilingual };

/** A definition file as given: a name to report problems under, and its YAML or JSON text (or an already parsed value). */
export type DefinitionSource = { name: string; text?: string; value?: unknown };

/** A definition's content as stored: defaults filled in, keys in one order, so that an identical re-import is recognised. */
export function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sorted(value));
}

export function definitionDigest(def: FormDefinition): string {
  return createHash('sha256').update(canonicalJson(def)).digest('hex');
}

const maxChars = 1_000_000;

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out === '' ? String(p) : `${out}.${String(p)}`), '');
}

function parseText(source: DefinitionSource): { value: unknown } | { problem: Bilingual } {
  if (source.value !== undefined) return { value: source.value };
  const text = source.text ?? '';
  if (text.length > maxChars) return { problem: { vi: `Tệp định nghĩa quá lớn (tối đa ${maxChars} ký tự).`, en: `The definition is too large (at most ${maxChars} characters).` } };
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
export function checkDefinitions(sources: readonly DefinitionSource[], stored: readonly FormDefinition[]): { definitions: FormDefinition[] } | { problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const definitions: { file: string; def: FormDefinition }[] = [];
  for (const source of sources) {
    const parsed = parseText(source);
    if ('problem' in parsed) {
      problems.push({ file: source.name, path: '', message: parsed.problem });
      continue;
    }
    const en = formDefinitionSchema.safeParse(parsed.value);
    if (en.success) {
      definitions.push({ file: source.name, def: en.data });
      continue;
    }
    const vi = formDefinitionSchema.safeParse(parsed.value, { error: z.locales.vi().localeError });
    en.error.issues.forEach((iss, i) => {
      const custom = (iss as { params?: { vi?: string } }).params?.vi;
      const viMessage = custom ?? (vi.success ? undefined : vi.error.issues[i]?.message) ?? iss.message;
      problems.push({ file: source.name, path: pathText(iss.path), message: { vi: viMessage, en: iss.message } });
    });
  }

  const seenCodes = new Map<string, string>();
  for (const { file, def } of definitions) {
    const other = seenCodes.get(def.code);
    if (other !== undefined) problems.push({ file, path: 'code', message: { vi: `Biểu mẫu ${def.code} đã có trong tệp ${other} của lần nhập này.`, en: `Form ${def.code} is also in ${other} of this import.` } });
    seenCodes.set(def.code, file);
  }
  // Indicator codes of every other form: stored versions and the other files of this import.
  const owner = new Map<string, string>();
  for (const def of [...stored, ...definitions.map((d) => d.def)]) for (const ind of def.indicators) if (!owner.has(`${ind.code}|${def.code}`)) owner.set(`${ind.code}|${def.code}`, def.code);
  const formsOf = (indicator: string) => new Set([...owner.keys()].filter((k) => k.startsWith(`${indicator}|`)).map((k) => owner.get(k)!));
  for (const { file, def } of definitions) {
    def.indicators.forEach((ind, i) => {
      const others = [...formsOf(ind.code)].filter((c) => c !== def.code);
      if (others.length > 0) problems.push({ file, path: `indicators[${i}].code`, message: { vi: `Mã chỉ tiêu "${ind.code}" đã thuộc biểu mẫu ${others.join(', ')}.`, en: `The indicator code "${ind.code}" belongs to form ${others.join(', ')}.` } });
    });
  }
  return problems.length > 0 ? { problems } : { definitions: definitions.map((d) => d.def) };
}
