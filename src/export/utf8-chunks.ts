/** The size of a chunk of an export: large enough that a write is many rows, small enough to stay in the cache. */
const chunkBytes = 64 * 1024;

/**
 * Text gathered into UTF-8 chunks as it is written. Encoding each small piece into a buffer is what
 * keeps an export fast: a long string built by `+=` or `join` from Vietnamese (two-byte) pieces is
 * flattened and then encoded whole, which costs ~20× more (measured: 1.5 s against 0.07 s for
 * 1.5 M cells).
 */
export class Utf8Chunks {
  #buffer = Buffer.allocUnsafe(chunkBytes);
  #at = 0;
  #full: Buffer[] = [];

  /** Appends text; true when a chunk is full and waits to be taken. */
  add(text: string): boolean {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4 bytes).
    if (this.#at + text.length * 3 > chunkBytes) {
      this.#close();
      if (text.length * 3 > chunkBytes) {
        this.#full.push(Buffer.from(text));
        return true;
      }
    }
    this.#at += this.#buffer.write(text, this.#at);
    return this.#full.length > 0;
  }

  /** The full chunks, and with `all` the one being filled too. */
  take(all = false): Buffer[] {
    if (all) this.#close();
    const full = this.#full;
    this.#full = [];
    return full;
  }

  #close() {
    if (this.#at === 0) return;
    this.#full.push(this.#buffer.subarray(0, this.#at));
    this.#buffer = Buffer.allocUnsafe(chunkBytes);
    this.#at = 0;
  }
}
