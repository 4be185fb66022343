/**
 * `npm run bench:quality`: does the outlier rule (src/quality/outlier.ts) find the errors planted in a
 * province's history without crying wolf over ordinary fluctuation (issue 20, SPEC §8)?
 *
 * A synthetic province of COMMUNES communes (default 1000), each with an HTS-BAN report (5–25
 * villages, households and population drifting a few percent a quarter, fibre rolling out village by
 * village, smartphone and e-payment users growing with noise, now and then a village added or
 * dropped) and an HTS-XA report (computers and staff moving by one or two) for 9 quarters. In the
 * last quarter, PLANTED_SHARE of the reports (default 10 %) get one error at one measure whose true
 * value is at least 5: a jump ×3..×10, a drop to 0, or two adjacent differing digits swapped.
 * Every report of quarters 5–9 (at least four earlier ones) is judged by the same qualityWarnings()
 * the worker and POST /v1/validate call, on measures computed by the rollup's measureReport().
 *
 * Prints recall per kind (planted errors warned about) and false warnings per 1,000 ordinary reports
 * (warnings on a measure nothing was planted in). Targets: recall ≥ 0.95 on jumps ≥ ×3, ≤ 5 false
 * warnings per 1,000 ordinary reports.
 */
import { shippedFormCatalog } from '../src/forms/shipped-forms.ts';
import { judgedMeasures, qualityWarnings } from '../src/quality/judge-quality.ts';
import type { Form, FormRow, Measures } from '../src/schema/form.ts';
import { loadavg } from 'node:os';
import { seededRandom } from './quarter-generator.ts';

const communes = Number(process.env.COMMUNES ?? 1000);
const plantedShare = Number(process.env.PLANTED_SHARE ?? 0.1);
const quarters = ['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4', '2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1'];

const random = seededRandom(Number(process.env.SEED ?? 20));
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const noisy = (x: number, drift: number, noise: number) =>
  Math.max(0, Math.round(x * (1 + drift + (random() * 2 - 1) * noise)));

type Village = {
  name: string;
  households: number;
  population: number;
  fiber: boolean;
  mobile: boolean;
  g3: boolean;
  smartphone: number;
  epayment: number;
};

function newVillage(i: number): Village {
  const households = between(40, 300);
  const population = Math.round(households * (3.8 + random()));
  const mobile = random() < 0.9;
  const smartphone = Math.round(population * (0.2 + random() * 0.3));
  return {
    name: `Bản ${i}`,
    households,
    population,
    fiber: random() < 0.4,
    mobile,
    g3: mobile && random() < 0.85,
    smartphone,
    epayment: Math.round(smartphone * (0.2 + random() * 0.3)),
  };
}

/** A quarter later: ordinary change, no error. */
function nextVillage(v: Village): Village {
  const population = noisy(v.population, 0.003, 0.02);
  const mobile = v.mobile || random() < 0.05;
  return {
    ...v,
    households: noisy(v.households, 0.003, 0.02),
    population,
    fiber: v.fiber || random() < 0.05,
    mobile,
    g3: mobile && (v.g3 || random() < 0.08),
    smartphone: Math.min(population, noisy(v.smartphone, 0.03, 0.04)),
    epayment: Math.min(population, noisy(v.epayment, 0.05, 0.06)),
  };
}

const yes = (b: boolean) => b;
const banRows = (vs: readonly Village[]): FormRow[] =>
  vs.map((v) => ({
    village: v.name,
    households: v.households,
    population: v.population,
    fiber: yes(v.fiber),
    mobile_signal: v.mobile,
    mobile_3g: v.g3,
    smartphone_users: v.smartphone,
    epayment_users: v.epayment,
  }));

type Office = {
  computers: number;
  broadband: number;
  staff: number;
  withComputer: number;
  network: boolean;
  video: boolean;
  villages: number;
};
function nextOffice(o: Office, villages: number): Office {
  const computers = Math.max(1, o.computers + (random() < 0.2 ? between(-1, 2) : 0));
  const staff = Math.max(5, o.staff + (random() < 0.15 ? between(-1, 1) : 0));
  return {
    computers,
    broadband: Math.min(computers, o.broadband + (random() < 0.2 ? 1 : 0)),
    staff,
    withComputer: Math.min(staff, o.withComputer + (random() < 0.15 ? between(-1, 1) : 0)),
    network: o.network || random() < 0.05,
    video: o.video || random() < 0.05,
    villages,
  };
}
const xaRows = (o: Office): FormRow[] => [
  {
    computers: o.computers,
    computers_broadband: o.broadband,
    staff: o.staff,
    staff_with_computer: o.withComputer,
    specialized_network: o.network,
    video_conference: o.video,
    villages: o.villages,
  },
];

type Kind = 'jump ×3' | 'jump ×4–×10' | 'drop to 0' | 'swapped digits';
const kinds: Kind[] = ['jump ×3', 'jump ×4–×10', 'drop to 0', 'swapped digits'];

/** Swaps the first pair of adjacent differing digits: 1523 → 5123. Null when there is none. */
function swapDigits(n: number): number | null {
  const s = String(n);
  for (let i = 0; i + 1 < s.length; i += 1)
    if (s[i] !== s[i + 1] && !(i === 0 && s[1] === '0'))
      return Number(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
  return null;
}

function plant(kind: Kind, value: number): number | null {
  if (kind === 'jump ×3') return value * 3;
  if (kind === 'jump ×4–×10') return value * between(4, 10);
  if (kind === 'drop to 0') return 0;
  return swapDigits(value);
}

const catalog = shippedFormCatalog();
const forms = { ban: catalog.find('HTS-BAN')!, xa: catalog.find('HTS-XA')! };
const noContext = { bounds: [], consistency: [], siblings: new Map() } as const;

type Series = { form: Form; measures: Measures[] };
const series: Series[] = [];
for (let c = 0; c < communes; c += 1) {
  let villages = Array.from({ length: between(5, 25) }, (_, i) => newVillage(i));
  let office: Office = {
    computers: between(5, 30),
    broadband: 0,
    staff: between(15, 30),
    withComputer: 0,
    network: random() < 0.7,
    video: random() < 0.5,
    villages: villages.length,
  };
  office = { ...office, broadband: Math.round(office.computers * 0.8), withComputer: Math.round(office.staff * 0.7) };
  const ban: Measures[] = [];
  const xa: Measures[] = [];
  for (let q = 0; q < quarters.length; q += 1) {
    if (q > 0) {
      villages = villages.map(nextVillage);
      // Now and then a village is split off or merged away: the count moves by one.
      if (random() < 0.01) villages = [...villages, newVillage(villages.length + 100)];
      else if (random() < 0.01 && villages.length > 5) villages = villages.slice(1);
      office = nextOffice(office, villages.length);
    }
    ban.push(judgedMeasures(forms.ban, banRows(villages)));
    xa.push(judgedMeasures(forms.xa, xaRows(office)));
  }
  series.push({ form: forms.ban, measures: ban }, { form: forms.xa, measures: xa });
}

const started = performance.now();
const found = new Map<Kind, { planted: number; found: number }>(kinds.map((k) => [k, { planted: 0, found: 0 }]));
let ordinaryReports = 0;
let falseWarnings = 0;
let ordinaryValues = 0;
let judged = 0;
const falseByMeasure = new Map<string, number>();
const last = quarters.length - 1;
for (const s of series) {
  for (let q = 4; q <= last; q += 1) {
    let measures = s.measures[q]!;
    let planted: { measure: string; kind: Kind } | null = null;
    if (q === last && random() < plantedShare) {
      const kind = kinds[between(0, kinds.length - 1)]!;
      const candidates = Object.keys(s.form.measures).filter(
        (m) => Number(measures[m] ?? 0) >= 5 && plant(kind, Number(measures[m])) !== null,
      );
      if (candidates.length > 0) {
        const measure = candidates[between(0, candidates.length - 1)]!;
        planted = { measure, kind };
        measures = { ...measures, [measure]: String(plant(kind, Number(measures[measure]))) };
      }
    }
    const history = s.measures.slice(0, q).map((m, i) => ({ period: quarters[i]!, measures: m }));
    const warnings = qualityWarnings(s.form, measures, { history, ...noContext });
    judged += 1;
    if (planted) {
      const k = found.get(planted.kind)!;
      k.planted += 1;
      if (warnings.some((w) => w.measure === planted.measure)) k.found += 1;
    } else ordinaryReports += 1;
    const falses = warnings.filter((w) => w.measure !== planted?.measure);
    falseWarnings += falses.length;
    ordinaryValues += Object.keys(s.form.measures).length - (planted ? 1 : 0);
    for (const w of falses)
      falseByMeasure.set(`${s.form.code}.${w.measure}`, (falseByMeasure.get(`${s.form.code}.${w.measure}`) ?? 0) + 1);
  }
}
const ms = performance.now() - started;

console.log(
  `bench:quality — ${communes} communes × 2 forms × ${quarters.length} quarters; reports judged (quarters ` +
    `5–9): ${judged}, in ${ms.toFixed(0)} ms (${((ms * 1000) / judged).toFixed(0)} µs a report); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
);
console.log('kind               planted  found  recall');
for (const [kind, k] of found)
  console.log(
    `${kind.padEnd(18)} ${String(k.planted).padStart(7)} ${String(k.found).padStart(6)}  ${(k.found / Math.max(1, k.planted)).toFixed(3)}`,
  );
const jumps = [found.get('jump ×3')!, found.get('jump ×4–×10')!];
const jumpRecall =
  jumps.reduce((s, k) => s + k.found, 0) /
  Math.max(
    1,
    jumps.reduce((s, k) => s + k.planted, 0),
  );
const per1000 = (falseWarnings * 1000) / Math.max(1, ordinaryReports);
console.log(`recall on jumps ≥ ×3: ${jumpRecall.toFixed(3)} (target ≥ 0.95)`);
console.log(
  `false warnings: ${falseWarnings} over ${ordinaryReports} ordinary reports = ${per1000.toFixed(2)} per 1,000 ` +
    `reports (target ≤ 5); ${((falseWarnings * 1000) / ordinaryValues).toFixed(2)} per 1,000 measure values`,
);
if (falseByMeasure.size > 0)
  console.log(
    `false warnings by measure: ${[...falseByMeasure]
      .sort((a, b) => b[1] - a[1])
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  );
if (jumpRecall < 0.95 || per1000 > 5) {
  console.log('TARGET MISSED');
  process.exitCode = 1;
}
