import { beforeAll, describe, expect, it } from 'vitest';
import { readScopeOf, unitAccessOf } from '../../src/read/read-scope.ts';
import type { UnitLevel } from '../../src/schema/database.ts';
import { scopeCovers, type Principal } from '../../src/schema/scope.ts';
import { erasMergedInto, scopeTargetOf } from '../../src/units/scope-target.ts';
import { importNationalLists } from '../support/national-lists.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

/** requireUnitAccess's answer as it was computed before unitAccessOf: the whole target, then scopeCovers. */
async function byTarget(principal: Principal, unit: { level: UnitLevel; code: string }, day: string, today: string) {
  const target = await scopeTargetOf(services.db, unit, today, day);
  if (!target) return 'missing';
  if (principal.level === 'commune' && unit.level !== 'commune') return 'uncovered';
  return scopeCovers(principal, target) ? 'covered' : 'uncovered';
}

/** The codes of a level's units valid on `day`, read by the test itself. */
const units = async (level: UnitLevel, day: string) =>
  (
    await services.db
      .selectFrom('admin_unit')
      .select('code')
      .where('level', '=', level)
      .where('valid_from', '<=', day)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
      .orderBy('code')
      .execute()
  ).map((r) => r.code);

/** About n of xs, spread over them. */
const every = <T>(xs: readonly T[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0);

beforeAll(async () => {
  await importNationalLists(services.db);
});

describe('unitAccessOf (requireUnitAccess) on the real national lists', () => {
  it('answers as the whole scope target does, for every kind of principal, unit and era', async () => {
    const before = '2024-12-31';
    const after = '2025-09-30';
    const today = '2026-12-06';
    const oldProvinces = await units('province', before);
    const newProvinces = await units('province', after);
    const oldCommunes = every(await units('commune', before), 40);
    const newCommunes = every(await units('commune', after), 20);
    const oldDistricts = every(await units('district', before), 25);
    const principals: Principal[] = [
      { level: 'admin', code: null, id: 'admin' },
      ...every(newProvinces, 5).map((code) => ({ level: 'province' as const, code, id: `p${code}` })),
      ...every(oldProvinces, 3).map((code) => ({ level: 'province' as const, code, id: `old${code}` })),
      ...[...every(newCommunes, 3), ...every(oldCommunes, 3)].map((code) => ({
        level: 'commune' as const,
        code,
        id: `c${code}`,
      })),
    ];
    const provinceQuestions = [
      ...every(oldProvinces, 32).map((code) => ({ unit: { level: 'province' as const, code }, day: before })),
      ...every(newProvinces, 6).map((code) => ({ unit: { level: 'province' as const, code }, day: after })),
      ...oldDistricts.map((code) => ({ unit: { level: 'district' as const, code }, day: before })),
      // A unit asked about on a day of the other era, or that never was: missing either way.
      { unit: { level: 'province' as const, code: oldProvinces[1]! }, day: after },
      { unit: { level: 'commune' as const, code: '99999' }, day: before },
    ];
    const communeQuestions = [
      ...oldCommunes.map((code) => ({ unit: { level: 'commune' as const, code }, day: before })),
      ...newCommunes.map((code) => ({ unit: { level: 'commune' as const, code }, day: after })),
    ];
    const seen = { missing: 0, covered: 0, uncovered: 0 };
    for (const principal of principals) {
      // A province's questions about provinces and districts of both eras; a commune's about communes; a few of the other kind.
      const questions =
        principal.level === 'commune'
          ? [...communeQuestions, ...provinceQuestions.slice(0, 3)]
          : [...provinceQuestions, ...every(communeQuestions, 5)];
      for (const { unit, day } of questions) {
        const expected = await byTarget(principal, unit, day, today);
        seen[expected] += 1;
        expect({
          principal: principal.id,
          unit,
          day,
          access: await unitAccessOf(services.db, principal, unit, day, today),
        }).toEqual({ principal: principal.id, unit, day, access: expected });
      }
    }
    // Each answer came up often enough for the comparison to mean something.
    expect(seen.missing).toBeGreaterThan(5);
    expect(seen.covered).toBeGreaterThan(30);
    expect(seen.uncovered).toBeGreaterThan(100);
  });

  it("covers an old province's units for today's province it went into, and a merged commune for its successor", async () => {
    // Hà Giang (02) went into today's Tuyên Quang (08); 00691 Phường Trần Phú of Hà Giang is today's 00691 of Tuyên Quang.
    const tuyenQuang: Principal = { level: 'province', code: '08', id: 'tq' };
    expect(
      await unitAccessOf(services.db, tuyenQuang, { level: 'province', code: '02' }, '2023-06-30', '2026-12-06'),
    ).toBe('covered');
    expect(
      await unitAccessOf(services.db, tuyenQuang, { level: 'province', code: '01' }, '2023-06-30', '2026-12-06'),
    ).toBe('uncovered');
    expect(
      await unitAccessOf(services.db, tuyenQuang, { level: 'province', code: '02' }, '2025-09-30', '2026-12-06'),
    ).toBe('missing');
  });

  it("reads one province's rows with the eras of that code alone: those of the whole scope, or none for its own code", async () => {
    const today = '2026-12-06';
    const oldProvinces = await units('province', '2024-12-31');
    let merged = 0;
    for (const code of await units('province', today)) {
      const principal: Principal = { level: 'province', code, id: `p${code}` };
      const whole = await erasMergedInto(services.db, { level: 'province', code }, today);
      // The old provinces merged into it, a few others, its own code and a code that never was.
      const asking = [...new Set([...whole.map((e) => e.code), ...every(oldProvinces, 4), code, '99'])];
      for (const asked of asking) {
        const scope = await readScopeOf(services.db, principal, today, asked);
        // Its own code is read in every era by the scope's first rule (snapshots.ts), so its eras add nothing there.
        const expected = asked === code ? [] : whole.filter((e) => e.code === asked);
        merged += expected.length;
        expect({ code, asked, merged: scope?.merged }).toEqual({ code, asked, merged: expected });
      }
    }
    expect(merged).toBeGreaterThan(20);
  });
});
