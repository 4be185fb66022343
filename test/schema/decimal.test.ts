import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimal, decimalSum, numberText } from '../../src/schema/decimal.ts';

// Whole numbers take a shortcut (summed and compared as numbers while exact); it must agree with big-integer arithmetic.
const whole = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 52, -0),
  fc.maxSafeInteger(),
);
const value = fc.oneof(whole, fc.constantFrom('0.1', '-2.50', '7', 0.25, 1e21));

const exactSum = (values: readonly number[]) => values.reduce((sum, v) => sum + BigInt(v), 0n).toString();

describe('decimal arithmetic', () => {
  it('sums whole numbers exactly, past the largest safe integer too', () => {
    fc.assert(fc.property(fc.array(whole, { maxLength: 20 }), (values) => decimalSum(values) === exactSum(values)));
    expect(decimalSum([Number.MAX_SAFE_INTEGER, 1, 1])).toBe('9007199254740993');
  });

  it('sums a mix of whole numbers and decimals as decimals', () => {
    expect(decimalSum([1, '0.1', 2, '0.2'])).toBe('3.3');
    expect(decimalSum([3, -3])).toBe('0');
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 10 }),
        (values) => decimalSum(values) === decimalSum(values.map((v) => (typeof v === 'number' ? numberText(v) : v))),
      ),
    );
  });

  it('compares whole numbers as their decimal texts compare', () => {
    fc.assert(
      fc.property(whole, whole, (a, b) => compareDecimal(a, b) === compareDecimal(numberText(a), numberText(b))),
    );
  });
});
