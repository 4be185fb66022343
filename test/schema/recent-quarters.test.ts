import { describe, expect, it } from 'vitest';
import { recentQuarters } from '../../src/schema/recent-quarters.ts';
import { vietnamDay } from '../../src/schema/vietnam-day.ts';

describe('recentQuarters', () => {
  it('counts from the quarter a day falls in, or from the last one ended, across years', () => {
    expect(recentQuarters('2026-01-15', 3, 'current')).toEqual(['2026-Q1', '2025-Q4', '2025-Q3']);
    expect(recentQuarters('2026-01-15', 3, 'ended')).toEqual(['2025-Q4', '2025-Q3', '2025-Q2']);
    expect(recentQuarters('2026-12-31', 1, 'current')).toEqual(['2026-Q4']);
    expect(recentQuarters('2026-04-01', 1, 'ended')).toEqual(['2026-Q1']);
  });

  it('goes by Vietnam’s day: at 20:00 UTC on 30 September the third quarter has ended there', () => {
    const evening = new Date('2025-09-30T20:00:00Z');
    expect(recentQuarters(vietnamDay(evening), 1, 'current')).toEqual(['2025-Q4']);
    expect(recentQuarters(vietnamDay(evening), 1, 'ended')).toEqual(['2025-Q3']);
  });
});
