import type { BanRow, Commune, Universe, XaRow } from './synthetic-reports.ts';
import { slotKey } from './synthetic-reports.ts';

/**
 * The figures the chaos run must end with, summed here straight from the reports it sent: plain
 * loops over villages and commune offices, none of the pipeline's code (SPEC §2's indicator table).
 */
export type ExpectedFigure = {
  level: 'commune' | 'district' | 'province';
  unit: string;
  period: string;
  indicator: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  communesReporting: number;
  communesExpected: number;
};

export const figureKey = (f: { level: string; unit: string; period: string; indicator: string }) =>
  `${f.level}|${f.unit}|${f.period}|${f.indicator}`;

type Sums = Record<string, number>;

function figuresOf(
  units: { level: ExpectedFigure['level']; code: string; members: Commune[] }[],
  universe: Universe,
  period: string,
): ExpectedFigure[] {
  const out: ExpectedFigure[] = [];
  for (const { level, code, members } of units) {
    const ban: BanRow[][] = [];
    const xa: XaRow[] = [];
    for (const c of members) {
      const b = universe.current.get(slotKey({ commune: c.code, form: 'HTS-BAN', period }));
      if (b?.form === 'HTS-BAN') ban.push(b.rows);
      const x = universe.current.get(slotKey({ commune: c.code, form: 'HTS-XA', period }));
      if (x?.form === 'HTS-XA') xa.push(x.rows[0]!);
    }
    const villages = ban.flat();
    const b: Sums = { villages: 0, fiber: 0, mobile: 0, g3: 0, population: 0, smartphone: 0, epayment: 0 };
    for (const v of villages) {
      b.villages! += 1;
      if (v.fiber) b.fiber! += 1;
      if (v.mobile_signal) b.mobile! += 1;
      if (v.mobile_3g) b.g3! += 1;
      b.population! += v.population;
      b.smartphone! += v.smartphone_users;
      b.epayment! += v.epayment_users;
    }
    const x: Sums = { communes: 0, computers: 0, broadband: 0, staff: 0, staffWith: 0, network: 0 };
    for (const o of xa) {
      x.communes! += 1;
      x.computers! += o.computers;
      x.broadband! += o.computers_broadband;
      x.staff! += o.staff;
      x.staffWith! += o.staff_with_computer;
      if (o.specialized_network) x.network! += 1;
    }
    const figure = (
      indicator: string,
      reporting: number,
      numerator: number,
      denominator: number | null,
    ): ExpectedFigure => {
      if (reporting === 0)
        return {
          level,
          unit: code,
          period,
          indicator,
          numerator: null,
          denominator: null,
          value: null,
          communesReporting: 0,
          communesExpected: members.length,
        };
      const value = denominator === null ? numerator : denominator === 0 ? null : numerator / denominator;
      return {
        level,
        unit: code,
        period,
        indicator,
        numerator,
        denominator,
        value,
        communesReporting: reporting,
        communesExpected: members.length,
      };
    };
    out.push(
      figure('villages_total', ban.length, b.villages!, null),
      figure('fiber_village_rate', ban.length, b.fiber!, b.villages!),
      figure('mobile_village_rate', ban.length, b.mobile!, b.villages!),
      figure('mobile_3g_village_rate', ban.length, b.g3!, b.villages!),
      figure('smartphone_rate', ban.length, b.smartphone!, b.population!),
      figure('epayment_rate', ban.length, b.epayment!, b.population!),
      figure('computers_total', xa.length, x.computers!, null),
      figure('broadband_computer_rate', xa.length, x.broadband!, x.computers!),
      figure('staff_computer_rate', xa.length, x.staffWith!, x.staff!),
      figure('specialized_network_commune_rate', xa.length, x.network!, x.communes!),
    );
  }
  return out;
}

/** Every commune, district and province figure of every period of the run. */
export function expectedSnapshots(universe: Universe): ExpectedFigure[] {
  const units = [
    ...universe.communes.map((c) => ({ level: 'commune' as const, code: c.code, members: [c] })),
    ...universe.districts.map((d) => ({
      level: 'district' as const,
      code: d.code,
      members: universe.communes.filter((c) => c.district === d.code),
    })),
    ...universe.provinces.map((p) => ({
      level: 'province' as const,
      code: p,
      members: universe.communes.filter((c) => c.province === p),
    })),
  ];
  return universe.periods.flatMap((period) => figuresOf(units, universe, period));
}
