import { issue, type Issue } from '../../schema/issue.ts';

/**
 * A problem found deep inside a reader that has a code of its own (a limit met while a repeat is
 * expanded, an encrypted workbook): thrown where it is met, turned back into its issue where the
 * reader catches what it throws. Anything else thrown is FILE_CORRUPT.
 */
export class ReadFailure extends Error {
  readonly issue: Issue;
  constructor(found: Issue) {
    super(found.message.en);
    this.issue = found;
  }
}

/** The issue a reader reports for what reading threw: its own, or FILE_CORRUPT with the error's first line. */
export function issueOfFailure(error: unknown): Issue {
  if (error instanceof ReadFailure) return error.issue;
  return issue('FILE_CORRUPT', {}, { detail: shortDetail(error) });
}

/** The first line of an error, short enough for an officer's message. */
function shortDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
