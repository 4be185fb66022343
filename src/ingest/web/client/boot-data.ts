import type { Role, ScopeLevel } from '../../../schema/database.ts';
import type { Bilingual } from '../../../schema/issue.ts';
import type { Lang } from './messages.ts';

/**
 * What the server writes into each page (a JSON script element) so the page needs no request
 * before it can draw itself: the language, who is logged in, the CSRF token, and the forms.
 */
export type BootData = {
  readonly lang: Lang;
  readonly page: string;
  readonly user: {
    readonly username: string;
    readonly level: ScopeLevel;
    readonly code: string | null;
    readonly roles?: readonly Role[];
    readonly scopeName: string | null;
  } | null;
  readonly csrf: string | null;
  /** This quarter and the seven before it, newest first, by the day in Vietnam (not the browser's clock): the upload page's period picker. */
  readonly quarters: readonly string[];
  readonly forms: readonly {
    readonly code: string;
    readonly title: Bilingual;
    readonly indicators: readonly { readonly code: string; readonly name: Bilingual; readonly rate: boolean }[];
  }[];
};
