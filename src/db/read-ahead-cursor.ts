import Cursor from 'pg-cursor';

/** A batch that nobody may ever await (the cursor closed first) must not be an unhandled rejection. */
const quiet = <T>(batch: Promise<T>): Promise<T> => {
  batch.catch(() => {});
  return batch;
};

/**
 * A pg-cursor that asks for the next batch of rows as soon as it hands one over, so that Postgres
 * produces batch n + 1 while this process formats batch n. With the plain cursor the two take
 * turns: Postgres waits while Node works and Node while Postgres does (bench/csv-export.ts, its
 * `node` writer, which reads row objects: 123,000–126,000 → 131,000 rows/s at the same CPU). At
 * most two batches are held. A read that fails while nobody waits for it fails the next `read`, or
 * is dropped when the cursor is closed first (the export ended anyway). Kysely's `.stream()` reads
 * with promises, one read at a time; reads that overlap still come in order, and then none is
 * asked ahead.
 */
export class ReadAheadCursor<Row = unknown> extends Cursor<Row> {
  #ahead: Promise<Row[]> | null = null;
  #reading = 0;

  override read(rows: number): Promise<Row[]>;
  override read(rows: number, callback: Cursor.ResultCallback<Row>): undefined;
  override read(rows: number, callback?: Cursor.ResultCallback<Row>): Promise<Row[]> | undefined {
    if (callback) throw new TypeError('ReadAheadCursor reads with promises only');
    const batch = this.#ahead ?? quiet(super.read(rows));
    this.#ahead = null;
    this.#reading += 1;
    return batch.then(
      (got) => {
        this.#reading -= 1;
        // A short batch was the last: the portal is closed, there is nothing to ask for.
        if (got.length === rows && this.#reading === 0) this.#ahead = quiet(super.read(rows));
        return got;
      },
      (error: unknown) => {
        this.#reading -= 1;
        throw error;
      },
    );
  }
}
