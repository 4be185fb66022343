/** One BIFF record: its type, its data, and where the next record starts. */
export type BiffRecord = { readonly type: number; readonly data: Buffer; readonly next: number };

export const CONTINUE = 0x003c;

/** The record at `at` of a workbook stream; throws when the stream ends inside it. */
export function recordAt(stream: Buffer, at: number): BiffRecord {
  if (at + 4 > stream.length) throw new Error(`bản ghi BIFF bị cắt ở byte ${at} / BIFF record cut short at byte ${at}`);
  const type = stream.readUInt16LE(at);
  const length = stream.readUInt16LE(at + 2);
  const next = at + 4 + length;
  if (next > stream.length) throw new Error(`bản ghi BIFF bị cắt ở byte ${at} / BIFF record cut short at byte ${at}`);
  return { type, data: stream.subarray(at + 4, next), next };
}

/**
 * The record at `at` with the CONTINUE records after it, as segments: a record over 8,224 bytes
 * (the shared strings, a long text) goes on in CONTINUE records. `next` is past the last of them.
 */
export function recordWithContinues(
  stream: Buffer,
  at: number,
): { readonly type: number; readonly segments: Buffer[]; readonly next: number } {
  const first = recordAt(stream, at);
  const segments = [first.data];
  let next = first.next;
  while (next + 4 <= stream.length && stream.readUInt16LE(next) === CONTINUE) {
    const more = recordAt(stream, next);
    segments.push(more.data);
    next = more.next;
  }
  return { type: first.type, segments, next };
}
