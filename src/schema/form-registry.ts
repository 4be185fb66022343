import type { Form } from './form.ts';
import { htsBan } from './forms/hts-ban.ts';
import { htsXa } from './forms/hts-xa.ts';

/** Every form tonghop accepts. A new form is a new file in forms/ and a line here; the pipeline reads only this list. */
export const forms: readonly Form[] = [htsBan, htsXa];

export function findForm(code: string): Form | undefined {
  const wanted = code.trim().toUpperCase();
  return forms.find((f) => f.code === wanted);
}
