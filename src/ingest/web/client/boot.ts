import type { BootData } from './boot-data.ts';
import { translate, type MessageKey } from './messages.ts';

/** What the server wrote into the page (boot-data.ts). */
export const boot: BootData = JSON.parse(document.getElementById('boot')?.textContent ?? '{}') as BootData;

export const lang = boot.lang ?? 'vi';

/** One of the pages' own messages, in the chosen language. */
export function t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  return translate(lang, key, params);
}

/** One of the API's messages, which come in both languages, in the chosen one. */
export function pick(message: { vi: string; en: string }): string {
  return message[lang];
}

/** An indicator's name and whether it is a rate, from the forms the server wrote in. */
export function indicatorInfo(code: string): { name: string; rate: boolean; form: string } | null {
  for (const form of boot.forms) {
    const found = form.indicators.find((i) => i.code === code);
    if (found) return { name: pick(found.name), rate: found.rate, form: form.code };
  }
  return null;
}

/** A form by its title from the definitions: "Hạ tầng số cấp thôn/bản"; the code if unknown. */
export function formTitle(code: string): string {
  const form = boot.forms.find((f) => f.code === code);
  return form ? pick(form.title) : code;
}

/** A form by its title, its code beside: "<title> (<code>)". */
export function formName(code: string): string {
  const title = formTitle(code);
  return title === code ? code : `${title} (${code})`;
}

/** A unit by its name, its code beside: "Xã Nậm Tin (03156)"; the code alone when the name is not known. */
export function unitName(code: string, name: string | null | undefined): string {
  return name ? `${name} (${code})` : code;
}
