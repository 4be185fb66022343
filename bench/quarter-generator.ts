// A synthetic national quarter: units and one HTS-BAN and one HTS-XA file per commune.
// Deterministic (seeded), so two runs upload the same bytes.
import { readFileSync } from 'node:fs';
import { shippedFormCatalog } from '../src/forms/shipped-forms.ts';

export type BenchUnit = {
  province: string;
  provinceName: string;
  district: string;
  districtName: string;
  commune: string;
  communeName: string;
};
export type BenchFile = {
  commune: string;
  province: string;
  form: 'HTS-BAN' | 'HTS-XA';
  name: string;
  text: string;
  rows: number;
};

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 63 provinces, 705 districts, 10,600 communes, as before July 2025. */
/** A smaller nation of `communes` communes in `provinces` provinces, with districts in the national proportion (705 to 10,600). */
export function scaledUnits(provinces: number, communes: number): BenchUnit[] {
  return syntheticUnits(provinces, Math.max(provinces, Math.round((705 * communes) / 10_600)), communes);
}

export function syntheticUnits(provinces = 63, districts = 705, communes = 10_600): BenchUnit[] {
  const out: BenchUnit[] = [];
  let c = 0;
  for (let d = 0; d < districts; d += 1) {
    const p = Math.floor((d * provinces) / districts);
    const perDistrict = Math.floor(((d + 1) * communes) / districts) - Math.floor((d * communes) / districts);
    for (let k = 0; k < perDistrict; k += 1, c += 1) {
      out.push({
        province: String(p + 1).padStart(2, '0'),
        provinceName: `Tỉnh Thử ${p + 1}`,
        district: String(d + 1).padStart(3, '0'),
        districtName: `Huyện Thử ${d + 1}`,
        commune: String(c + 1).padStart(5, '0'),
        communeName: `Xã Thử ${c + 1}`,
      });
    }
  }
  return out;
}

/** A real unit list in the CSV format of SPEC §5 (e.g. data/units/vn-admin-units-2024.csv). */
export function unitsFromFile(path: string): BenchUnit[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string) => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split(',');
    return {
      province: f[at('province_code')]!,
      provinceName: f[at('province_name')]!,
      district: f[at('district_code')] ?? '',
      districtName: f[at('district_name')] ?? '',
      commune: f[at('commune_code')]!,
      communeName: f[at('commune_name')]!,
    };
  });
}

export function unitsCsv(units: readonly BenchUnit[]): string {
  return [
    'province_code,province_name,district_code,district_name,commune_code,commune_name',
    ...units.map((u) => [u.province, u.provinceName, u.district, u.districtName, u.commune, u.communeName].join(',')),
  ].join('\n');
}

// The headers officers type, read from the shipped definitions (data/forms), in the order of their fields.
const forms = shippedFormCatalog();
const banHeader = forms
  .find('HTS-BAN')!
  .fields.map((f) => f.header)
  .join(',');
const xaHeaders = new Map(forms.find('HTS-XA')!.fields.map((f) => [f.key, f.header]));

/** The header an HTS-XA field is written under in the generated office files. */
export const xaHeaderOf = (key: string): string => xaHeaders.get(key)!;

/** The commune's two report files for a period: 5–15 villages, and the office. */
export function communeFiles(unit: BenchUnit, period: string, random: () => number): BenchFile[] {
  const villages = 5 + Math.floor(random() * 11);
  const lines = [`commune,period,${banHeader}`];
  for (let v = 0; v < villages; v += 1) {
    const households = 20 + Math.floor(random() * 200);
    const population = households * (3 + Math.floor(random() * 4));
    const signal = random() < 0.9;
    const g3 = signal && random() < 0.9;
    lines.push(
      [
        unit.commune,
        period,
        `Bản ${v + 1}`,
        households,
        population,
        random() < 0.55 ? 'Có' : 'Không',
        signal ? 'Có' : 'Không',
        g3 ? 'Có' : 'Không',
        Math.floor(population * random() * 0.8),
        Math.floor(population * random() * 0.4),
      ].join(','),
    );
  }
  const computers = 5 + Math.floor(random() * 20);
  const staff = 15 + Math.floor(random() * 15);
  const values: Record<string, string | number> = {
    computers,
    computers_broadband: Math.floor(computers * random()),
    staff,
    staff_with_computer: Math.floor(staff * (0.5 + random() / 2)),
    specialized_network: random() < 0.8 ? 'có' : 'không',
    video_conference: random() < 0.5 ? 'có' : 'không',
  };
  const office = {
    form: 'HTS-XA',
    commune: unit.commune,
    period,
    rows: [Object.fromEntries(Object.entries(values).map(([key, v]) => [xaHeaders.get(key)!, v]))],
  };
  return [
    {
      commune: unit.commune,
      province: unit.province,
      form: 'HTS-BAN',
      name: `${unit.commune}-ban.csv`,
      text: `${lines.join('\n')}\n`,
      rows: villages,
    },
    {
      commune: unit.commune,
      province: unit.province,
      form: 'HTS-XA',
      name: `${unit.commune}-xa.json`,
      text: JSON.stringify(office),
      rows: 1,
    },
  ];
}
