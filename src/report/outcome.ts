import type { FormCalendar } from '../schema/form-calendar.ts';
import type { Issue } from '../schema/issue.ts';
import type { ValidRow } from './validate.ts';

/**
 * What judging one report decided: rejected with every issue, or valid with its normalized rows and
 * fingerprint (measures are computed at rollup, from the rows, with the version serving the period).
 */
export type Outcome =
  | { kind: 'rejected'; issues: Issue[]; meta: { form?: string; communeCode?: string; period?: string } }
  | {
      kind: 'valid';
      form: string;
      /** The reporting calendar of the form version that judged it (SPEC §7): the period rules read it. */
      calendar: FormCalendar;
      communeCode: string;
      period: string;
      periodEnd: string;
      provinceCode: string;
      districtCode: string | null;
      rows: readonly ValidRow[];
      fingerprint: string;
    };
