import type { Db } from '../db/connect.ts';

/** Runs `work` on a database connection the command line opens and closes around it (main.ts withDb). */
export type WithDb = <T>(work: (db: Db) => Promise<T>) => Promise<T>;
