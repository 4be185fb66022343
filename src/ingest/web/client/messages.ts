/**
 * Every text the pages show, in Vietnamese (the default) and English. Shared by the server, which
 * renders each page's frame, and the browser, which renders the rest. Messages from the API come
 * with both languages already ({vi, en}); these are the pages' own words: those of the frame and
 * of several pages in messages-app.ts, each page's own in messages-PAGE.ts, which the page imports
 * (so a page loads only its own words, and work on one page does not touch another's).
 */
import { en as appEn, vi as appVi } from './messages-app.ts';
// Types only (erased for the browser): each page loads the words of its own file alone (addMessages).
import type { vi as loginVi } from './messages-login.ts';
import type { vi as uploadVi } from './messages-upload.ts';
import type { vi as subsVi } from './messages-submissions.ts';
import type { vi as anVi } from './messages-analyst.ts';
import type { vi as linVi } from './messages-lineage.ts';
import type { vi as stVi } from './messages-status.ts';
import type { vi as apVi } from './messages-approver.ts';

export type MessageKey =
  | keyof typeof appVi
  | keyof typeof loginVi
  | keyof typeof uploadVi
  | keyof typeof subsVi
  | keyof typeof anVi
  | keyof typeof linVi
  | keyof typeof stVi
  | keyof typeof apVi;

export const languages = ['vi', 'en'] as const;
export type Lang = (typeof languages)[number];

/** The cookie that keeps the chosen language; Vietnamese without it. */
export const langCookieName = 'tonghop_lang';

type Words = Partial<Record<MessageKey, string>>;

/** The words loaded so far: the frame's (every page's), and those of the page's own messages-PAGE.ts. */
const messages: Record<Lang, Words> = { vi: { ...appVi }, en: { ...appEn } };

/** Adds a page's words; its messages-PAGE.ts calls this when the page imports it. */
export function addMessages(vi: Words, en: Words): void {
  Object.assign(messages.vi, vi);
  Object.assign(messages.en, en);
}

/** A message with its `{name}` placeholders filled; a key whose file the page did not import shows as itself. */
export function translate(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return (messages[lang][key] ?? key).replace(/\{(\w+)\}/gu, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
