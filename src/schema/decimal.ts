/**
 * Exact arithmetic on decimal text (`12.5`, `-3`, `0.25`): a decimal field's values and the sums
 * of measures are kept as text and added as scaled big integers, never as floating point, so
 * Σ 0.1 over ten communes is exactly 1.
 */
export type DecimalText = string;

const shape = /^-?\d+(?:\.\d+)?$/u;

type Scaled = { digits: bigint; scale: number };

function scaled(text: DecimalText): Scaled {
  if (!shape.test(text)) throw new Error(`not a decimal: ${text}`);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const digits = BigInt(whole! + fraction);
  return { digits: negative ? -digits : digits, scale: fraction.length };
}

function atScale(n: Scaled, scale: number): bigint {
  return n.digits * 10n ** BigInt(scale - n.scale);
}

function text(n: Scaled): DecimalText {
  const negative = n.digits < 0n;
  let digits = (negative ? -n.digits : n.digits).toString().padStart(n.scale + 1, '0');
  let scale = n.scale;
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale -= 1;
  }
  const whole = digits.slice(0, digits.length - scale);
  const body = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}

export function isDecimalText(value: string): boolean {
  return shape.test(value);
}

/** The canonical text of a decimal: no leading zeros, no trailing fractional zeros (`012.50` → `12.5`). */
export function canonicalDecimal(value: DecimalText): DecimalText {
  return text(scaled(value));
}

/** How many decimal places a canonical decimal has. */
export function decimalPlaces(value: DecimalText): number {
  return scaled(canonicalDecimal(value)).scale;
}

const smallInteger = /^-?\d{1,15}$/u;

/** The exact sum of decimals (numbers are taken as their shortest decimal text). */
export function decimalSum(values: Iterable<DecimalText | number>): DecimalText {
  // Counts are whole numbers, as numbers in the rows and as decimal text in the measures: summed
  // as doubles while every one and the sum are safe integers, where a double is exact; the first
  // other value carries on in big integers. As big integers alone, a quarter of a rollup's time.
  let whole = 0;
  let total: Scaled | null = null;
  for (const v of values) {
    if (total === null) {
      const n = typeof v === 'number' ? v : smallInteger.test(v) ? Number(v) : Number.NaN;
      if (Number.isSafeInteger(n) && Number.isSafeInteger(whole + n)) {
        whole += n;
        continue;
      }
      total = { digits: BigInt(whole), scale: 0 };
    }
    const n = scaled(typeof v === 'number' ? numberText(v) : v);
    const scale = Math.max(total.scale, n.scale);
    total = { digits: atScale(total, scale) + atScale(n, scale), scale };
  }
  return total === null ? String(whole) : text(total);
}

/** -1, 0 or 1, exactly. */
export function compareDecimal(a: DecimalText | number, b: DecimalText | number): number {
  // Two whole numbers compare exactly as numbers: an integer field against its bounds, every cell.
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b))
    return a < b ? -1 : a > b ? 1 : 0;
  const x = scaled(typeof a === 'number' ? numberText(a) : a);
  const y = scaled(typeof b === 'number' ? numberText(b) : b);
  const scale = Math.max(x.scale, y.scale);
  const d = atScale(x, scale) - atScale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** A finite number's shortest decimal text, without exponent. */
export function numberText(n: number): DecimalText {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  const s = String(n);
  if (!/e/iu.test(s)) return s;
  // 1e21 and 1e-7 style: toFixed with enough places, then trimmed.
  return canonicalDecimal(Math.abs(n) >= 1 ? BigInt(n).toString() : n.toFixed(20));
}
