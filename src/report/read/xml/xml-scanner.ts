/** What an XML scanner reports, element by element, in document order. */
export type XmlHandler = {
  /** An element opens; `name` without its namespace prefix (`x:row` is `row`), `attributes` as written (see `attributesOf`). */
  readonly open: (name: string, attributes: string, selfClosing: boolean) => void;
  readonly close: (name: string) => void;
  /** Whether the handler wants the character data at this point; what it does not want is not decoded. */
  readonly wantsText: () => boolean;
  /** Character data, entities decoded; CDATA as written. May come in several pieces. */
  readonly text: (text: string) => void;
};

/**
 * A small XML scanner fed text in pieces of any size, for the parts of an XLSX package, which can
 * be larger than one would hold as a tree: only elements, attributes as text, character data,
 * CDATA; comments, processing instructions and the document type are skipped, and no entity
 * beyond the five of XML and character references is expanded (so none can expand into millions).
 * `end` throws when the text stops inside markup.
 */
export function xmlScanner(handler: XmlHandler): { feed: (piece: string) => void; end: () => void } {
  let pending = '';
  const feed = (piece: string): void => {
    const text = pending.length > 0 ? pending + piece : piece;
    pending = '';
    let at = 0;
    for (;;) {
      const lt = text.indexOf('<', at);
      if (lt === -1) {
        // Character data runs on into the next piece: what is wanted goes now, but for an entity
        // that may be cut in two, so that a long text is not copied again with every piece.
        if (handler.wantsText()) {
          const amp = text.lastIndexOf('&');
          const cut = amp >= at && text.length - amp <= maxEntity && !text.includes(';', amp) ? amp : text.length;
          if (cut > at) handler.text(decodeXml(text.slice(at, cut)));
          pending = text.slice(cut);
        }
        return;
      }
      if (lt > at && handler.wantsText()) handler.text(decodeXml(text.slice(at, lt)));
      const end = markupEnd(text, lt);
      if (end === -1) {
        if (text.length - lt > maxMarkup) throw new Error('XML: thẻ quá dài / markup too long');
        pending = text.slice(lt);
        return;
      }
      markup(handler, text, lt, end);
      at = end;
    }
  };
  const end = (): void => {
    if (pending.startsWith('<')) throw new Error('XML bị cắt cụt / truncated XML');
    if (pending.length > 0 && handler.wantsText()) handler.text(decodeXml(pending));
    pending = '';
  };
  return { feed, end };
}

/** Longest entity kept back at the end of a piece (`&#x10FFFF;`). */
const maxEntity = 10;
/**
 * Longest markup waited for across pieces. Tags of a sheet are short; this bounds the copies a
 * crafted tag of megabytes would cost.
 */
const maxMarkup = 1 << 20;

const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const EQUALS = 0x3d;

/** The index after the markup starting at `lt`, or -1 when the text ends before it does. */
function markupEnd(text: string, lt: number): number {
  const next = text.charCodeAt(lt + 1);
  if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
    // Too short yet to tell a comment or CDATA from a document type.
    if (text.length - lt < 9) return -1;
    const closer = text.startsWith('<!--', lt)
      ? '-->'
      : text.startsWith('<![CDATA[', lt)
        ? ']]>'
        : next === 0x3f
          ? '?>'
          : '>';
    const close = text.indexOf(closer, lt + 2);
    return close === -1 ? -1 : close + closer.length;
  }
  // A `>` inside a quoted attribute value does not end the tag.
  for (let i = lt + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === GT) return i + 1;
    if (code === QUOTE || code === APOSTROPHE) {
      const close = text.indexOf(code === QUOTE ? '"' : "'", i + 1);
      if (close === -1) return -1;
      i = close;
    }
  }
  return -1;
}

function markup(handler: XmlHandler, text: string, lt: number, end: number): void {
  const first = text.charCodeAt(lt + 1);
  if (first === 0x21 || first === 0x3f) {
    if (text.startsWith('<![CDATA[', lt) && handler.wantsText()) handler.text(text.slice(lt + 9, end - 3));
    return;
  }
  const closing = first === SLASH;
  const selfClosing = !closing && text.charCodeAt(end - 2) === SLASH;
  const from = closing ? lt + 2 : lt + 1;
  let nameEnd = from;
  while (nameEnd < end - 1 && !isNameEnd(text.charCodeAt(nameEnd))) nameEnd++;
  const qualified = text.slice(from, nameEnd);
  const colon = qualified.indexOf(':');
  const name = colon === -1 ? qualified : qualified.slice(colon + 1);
  if (closing) handler.close(name);
  else {
    handler.open(name, text.slice(nameEnd, selfClosing ? end - 2 : end - 1), selfClosing);
    if (selfClosing) handler.close(name);
  }
}

function isNameEnd(code: number): boolean {
  return isSpace(code) || code === SLASH || code === GT;
}

/** The attributes of a tag, by their names as written (`r`, `t`, `r:id`), values decoded. */
export function attributesOf(text: string): Record<string, string> {
  const found: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let at = nextAttribute(text, 0); at !== -1; at = nextAttribute(text, at)) {
    found[text.slice(span.nameFrom, span.nameTo)] = decodeXml(text.slice(span.valueFrom, span.valueTo));
  }
  return found;
}

/** Some attributes of a tag, decoded, in the order of `names`, undefined where missing: one walk over the tag for the attributes of every cell. */
export function attributesNamed(text: string, names: readonly string[]): (string | undefined)[] {
  const values: (string | undefined)[] = names.map(() => undefined);
  for (let at = nextAttribute(text, 0); at !== -1; at = nextAttribute(text, at)) {
    const length = span.nameTo - span.nameFrom;
    const k = names.findIndex((name) => name.length === length && text.startsWith(name, span.nameFrom));
    if (k !== -1) values[k] = decodeXml(text.slice(span.valueFrom, span.valueTo));
  }
  return values;
}

/** Where the last attribute `nextAttribute` found lies; read at once, before the next call. */
const span = { nameFrom: 0, nameTo: 0, valueFrom: 0, valueTo: 0 };

/** Finds the `name="value"` pair (either quote) at or after `at` and returns the index after it, or -1 when none is left. */
function nextAttribute(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  span.nameFrom = i;
  while (i < text.length && text.charCodeAt(i) !== EQUALS && !isSpace(text.charCodeAt(i))) i++;
  span.nameTo = i;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (span.nameTo === span.nameFrom || text.charCodeAt(i) !== EQUALS) return -1;
  i += 1;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const quote = text.charCodeAt(i);
  if (quote !== QUOTE && quote !== APOSTROPHE) return -1;
  const close = text.indexOf(quote === QUOTE ? '"' : "'", i + 1);
  if (close === -1) return -1;
  span.valueFrom = i + 1;
  span.valueTo = close;
  return close + 1;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

const entity = /&(?:#x([0-9a-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/giu;
const named: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character data with XML's five entities and character references decoded; anything else is left as written. */
export function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    entity,
    (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
      if (name !== undefined) return named[name] ?? whole;
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}

/** Scans a text that comes in pieces to its end; what the handler leaves out is ignored. */
export async function scanXml(text: AsyncIterable<string>, handler: Partial<XmlHandler>): Promise<void> {
  const scanner = xmlScanner({
    open: () => undefined,
    close: () => undefined,
    wantsText: () => false,
    text: () => undefined,
    ...handler,
  });
  for await (const piece of text) scanner.feed(piece);
  scanner.end();
}
