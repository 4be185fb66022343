import type { ColumnType } from 'kysely';

/** Column types the tables share (src/schema/tables), as Kysely and pg hand them over. */

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in when an insert leaves it out. */
export type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: pg returns it as text (db/connect.ts), in ISO form. */
export type DateText = ColumnType<string, string, string>;
