import { ApiError, postFiles } from './api.ts';
import type { Stored } from './api-types.ts';
import type { FileCard } from './file-card.ts';
import { showStored } from './file-outcome.ts';
import { retrying, type Wait } from './retry.ts';
import { formData } from './upload-fields.ts';

/** One key per file and click of "send", kept through its retries; random, as no two sends may share one. */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Sends one file, by its check id when it has one (nothing but the fields goes over the link), else
 * its bytes; a check the server no longer keeps (410) sends the bytes after all. Tried again through
 * an outage with the same Idempotency-Key: one submission however many tries.
 */
export async function send(
  file: File,
  card: FileCard,
  following: Promise<void>[],
  check: string | null,
): Promise<void> {
  const key = idempotencyKey();
  const waiting = (wait: Wait, now: () => void) => card.waiting(wait, now);
  // The fields as they are when it is sent, the same on every try: the key stands for this one request
  // (a field changed on the page meanwhile would make a retry another request, refused 422).
  const post = (body: File | { check: string }) => {
    const data = formData(body);
    return retrying(
      () => postFiles<Stored>('/v1/submissions', data, (f) => card.progress(f), { 'idempotency-key': key }),
      waiting,
    );
  };
  let stored: Stored;
  try {
    stored = await post(check ? { check } : file);
  } catch (error) {
    if (!(check && error instanceof ApiError && error.code === 'TONGHOP_ERR_CHECK_GONE')) throw error;
    stored = await post(file);
  }
  showStored(card, stored, following);
}
