/**
 * Every text the pages show, in Vietnamese (the default) and English. Shared by the server, which
 * renders each page's frame, and the browser, which renders the rest. Messages from the API come
 * with both languages already ({vi, en}); these are the pages' own words, one file per page
 * (messages-PAGE.ts), so that work on one page does not touch another's.
 */
import { en as appEn, vi as appVi } from './messages-app.ts';
import { en as loginEn, vi as loginVi } from './messages-login.ts';
import { en as uploadEn, vi as uploadVi } from './messages-upload.ts';
import { en as subsEn, vi as subsVi } from './messages-submissions.ts';
import { en as anEn, vi as anVi } from './messages-analyst.ts';
import { en as linEn, vi as linVi } from './messages-lineage.ts';
import { en as stEn, vi as stVi } from './messages-status.ts';

const vi = { ...appVi, ...loginVi, ...uploadVi, ...subsVi, ...anVi, ...linVi, ...stVi } as const;

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = { ...appEn, ...loginEn, ...uploadEn, ...subsEn, ...anEn, ...linEn, ...stEn };

export const languages = ['vi', 'en'] as const;
export type Lang = (typeof languages)[number];

/** The cookie that keeps the chosen language; Vietnamese without it. */
export const langCookieName = 'tonghop_lang';

export const messages: Record<Lang, Record<MessageKey, string>> = { vi, en };

/** A message with its `{name}` placeholders filled. */
export function translate(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/gu, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
