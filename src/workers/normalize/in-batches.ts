/** Rows are handed on this many at a time: few enough to hold, enough to spare an await per row. */
const batchSize = 512;

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
