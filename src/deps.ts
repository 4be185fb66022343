import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import type { FormCatalog } from './forms/form-catalog.ts';
import type { Queues } from './queue/queues.ts';
import type { ReadLimits } from './schema/raw-table.ts';

/** What a job body or a route needs from the outside world; `now` is injected so tests control time. */
export type Deps = {
  readonly db: Db;
  readonly queues: Queues;
  readonly log: Logger;
  readonly config: Config;
  /** The forms, every version, following imports made by any process (forms/form-catalog.ts). */
  readonly forms: FormCatalog;
  readonly now: () => Date;
};

export function readLimits(config: Config): ReadLimits {
  return {
    maxBytes: config.MAX_FILE_BYTES,
    maxRows: config.MAX_ROWS,
    maxColumns: config.MAX_COLUMNS,
    maxCellChars: config.MAX_CELL_CHARS,
    maxUncompressedBytes: config.MAX_UNCOMPRESSED_BYTES,
    maxSheets: config.MAX_SHEETS,
    maxIssues: config.MAX_ISSUES,
  };
}
