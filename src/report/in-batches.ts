/**
 * Rows are handed on this many at a time: enough to spare an await per row, few enough that a
 * batch is garbage before V8's small young generation (bin/tonghop.js) promotes it to the old one.
 * On 100,000 CSV rows, batches of 512 peaked about 30 MB higher than batches of 64, and ran slower.
 */
const batchSize = 64;

/** The items of a synchronous reading, handed on in batches. */
export async function* inBatches<T>(items: Iterable<T>): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
