/** Text as it is stored: Unicode NFC (files from macOS arrive NFD), trimmed, inner whitespace collapsed. */
export function normalizeText(raw: string): string {
  // Most cells are figures and codes: printable ASCII words one space apart are already as stored.
  if (plainText.test(raw)) return raw;
  return raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

const plainText = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/u;

const folds = new Map<string, string>();

/**
 * A form of a label that matches however it was typed: without diacritics, case, spaces,
 * underscores or punctuation. `Số hộ`, `so ho`, `SO_HO` and `Sốhộ` all fold to `soho`.
 */
export function foldLabel(raw: string): string {
  let folded = folds.get(raw);
  if (folded === undefined) {
    folded = raw
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '')
      .replace(/[đĐ]/gu, 'd')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '');
    // Headers repeat from file to file (the same templates): up to a thousand labels are kept folded, then the cache starts over.
    if (folds.size >= 1000) folds.clear();
    folds.set(raw, folded);
  }
  return folded;
}

const villagePrefix = /^(thôn|bản|tổ|xóm)(?:\s+|$)/u;

/** A village's name without its Thôn/Bản/Tổ/Xóm prefix, in lower case: '' when the name is only the prefix (`Bản`). */
export function villageName(name: string): string {
  return normalizeText(name).toLowerCase().replace(villagePrefix, '');
}

/** A village's identity inside its commune: the name without its Thôn/Bản/Tổ/Xóm prefix, in lower case. */
export function villageKey(name: string): string {
  const stripped = villageName(name);
  return stripped === '' ? normalizeText(name).toLowerCase() : stripped;
}
