/**
 * The chaos run's input: synthetic provinces, districts and communes, and the report files they
 * send over two rounds (originals; then corrections, duplicates and broken corrections), each with
 * the outcome it must have. Everything is built from a seed, so a failing run can be replayed.
 */

export type BanRow = {
  village: string;
  households: number;
  population: number;
  fiber: boolean;
  mobile_signal: boolean;
  mobile_3g: boolean;
  smartphone_users: number;
  epayment_users: number;
};
export type XaRow = {
  computers: number;
  computers_broadband: number;
  staff: number;
  staff_with_computer: number;
  specialized_network: boolean;
  video_conference: boolean;
};
export type Report = { form: 'HTS-BAN'; rows: BanRow[] } | { form: 'HTS-XA'; rows: XaRow[] };
export type FormCode = Report['form'];

export type Commune = { code: string; district: string; province: string };
export type Slot = { commune: string; form: FormCode; period: string };

export type ChaosFile = {
  readonly index: number;
  /** Round 2 is sent only after every file of round 1 has its 202, so receipt order is known. */
  readonly round: 1 | 2;
  readonly kind: 'original' | 'correction' | 'duplicate' | 'broken';
  readonly slot: Slot;
  readonly name: string;
  readonly bytes: Buffer;
  /** Request fields, when the file itself does not say its commune and period. */
  readonly fields: Record<string, string>;
  /** Stored as the ingest stores it, but never put on the queue: the ingest died between its commit and its enqueue. */
  readonly notEnqueued: boolean;
  /**
   * Data rows in the file. Its status and version depend on the order files finish (SPEC §4.4: an older
   * report finishing later is superseded without a version), so they are checked per slot.
   */
  readonly rows: number;
};

export type Universe = {
  readonly unitsCsv: string;
  readonly provinces: string[];
  readonly districts: { code: string; province: string }[];
  readonly communes: Commune[];
  readonly periods: string[];
  readonly files: ChaosFile[];
  /** The report each (commune, form, period) must end with: the newest valid one received. */
  readonly current: Map<string, Report>;
};

export type UniverseOptions = {
  seed: number;
  provinces: number;
  districtsPerProvince: number;
  communesPerDistrict: number;
  periods: readonly string[];
  /** Fractions of slots that get a round-2 file of each kind, and that never report. */
  corrections: number;
  duplicates: number;
  broken: number;
  missing: number;
  /** Fraction of round-1 originals committed without being enqueued (at least one). */
  notEnqueued: number;
};

export const slotKey = (s: Slot) => `${s.commune}|${s.form}|${s.period}`;

/** mulberry32: a small seeded generator, so a run is reproducible from its seed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof generator>;

const banHeaders: Record<keyof BanRow, string> = {
  village: 'Tên thôn/bản',
  households: 'Số hộ',
  population: 'Số nhân khẩu',
  fiber: 'Có internet cáp quang',
  mobile_signal: 'Có sóng di động',
  mobile_3g: 'Có sóng 3G trở lên',
  smartphone_users: 'Số người dùng điện thoại thông minh',
  epayment_users: 'Số người có tài khoản thanh toán điện tử',
};
const xaHeaders: Record<keyof XaRow, string> = {
  computers: 'Số máy tính',
  computers_broadband: 'Số máy tính kết nối internet băng rộng',
  staff: 'Số cán bộ, công chức',
  staff_with_computer: 'Số cán bộ, công chức được trang bị máy tính',
  specialized_network: 'Kết nối mạng truyền số liệu chuyên dùng',
  video_conference: 'Có điểm cầu hội nghị truyền hình trực tuyến',
};

function banRow(rng: Rng, n: number): BanRow {
  const households = rng.int(10, 200);
  const population = households * rng.int(3, 6);
  const mobile = rng.chance(0.9);
  return {
    village: `Bản Thử ${n}`,
    households,
    population,
    fiber: rng.chance(0.55),
    mobile_signal: mobile,
    mobile_3g: mobile && rng.chance(0.85),
    smartphone_users: rng.int(0, population),
    epayment_users: rng.int(0, Math.floor(population / 2)),
  };
}

function xaRow(rng: Rng): XaRow {
  const computers = rng.int(0, 20);
  const staff = rng.int(5, 30);
  return {
    computers,
    computers_broadband: rng.int(0, computers),
    staff,
    staff_with_computer: rng.int(0, staff),
    specialized_network: rng.chance(0.8),
    video_conference: rng.chance(0.5),
  };
}

function newReport(rng: Rng, form: FormCode): Report {
  if (form === 'HTS-XA') return { form, rows: [xaRow(rng)] };
  const villages = rng.int(3, 12);
  return { form, rows: Array.from({ length: villages }, (_, i) => banRow(rng, i + 1)) };
}

/** A correction: one village's figures change and a village is added; the commune office's figures change. */
function corrected(rng: Rng, report: Report): Report {
  if (report.form === 'HTS-XA') {
    const [row] = report.rows;
    const computers = row!.computers + rng.int(1, 5);
    return {
      form: 'HTS-XA',
      rows: [
        {
          ...row!,
          computers,
          computers_broadband: Math.min(computers, row!.computers_broadband + 1),
          specialized_network: !row!.specialized_network,
        },
      ],
    };
  }
  const rows = report.rows.map((r, i) => (i === 0 ? { ...r, fiber: !r.fiber } : r));
  rows.push(banRow(rng, report.rows.length + 1));
  return { form: 'HTS-BAN', rows };
}

/** A correction that breaks a rule of the form, so it is rejected and the slot keeps its version. */
function brokenCopy(report: Report): Report {
  if (report.form === 'HTS-XA')
    return { form: 'HTS-XA', rows: [{ ...report.rows[0]!, computers_broadband: report.rows[0]!.computers + 1 }] };
  return {
    form: 'HTS-BAN',
    rows: report.rows.map((r, i) => (i === 0 ? { ...r, smartphone_users: r.population + 1 } : r)),
  };
}

const yesNo = (b: boolean) => (b ? 'Có' : 'Không');

function cellsOf(report: Report): { headers: string[]; rows: (string | number)[][] } {
  if (report.form === 'HTS-BAN') {
    const keys = Object.keys(banHeaders) as (keyof BanRow)[];
    return {
      headers: keys.map((k) => banHeaders[k]),
      rows: report.rows.map((r) => keys.map((k) => (typeof r[k] === 'boolean' ? yesNo(r[k] as boolean) : r[k]))),
    };
  }
  const keys = Object.keys(xaHeaders) as (keyof XaRow)[];
  return {
    headers: keys.map((k) => xaHeaders[k]),
    rows: report.rows.map((r) => keys.map((k) => (typeof r[k] === 'boolean' ? yesNo(r[k] as boolean) : r[k]))),
  };
}

const csvField = (v: string | number) =>
  /[",\n]/u.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v);

/** The report as a CSV or JSON file, saying its commune and period itself or leaving them to request fields. */
function render(
  report: Report,
  slot: Slot,
  format: 'csv' | 'json',
  metaInFile: boolean,
): { bytes: Buffer; fields: Record<string, string> } {
  const { headers, rows } = cellsOf(report);
  const fields: Record<string, string> = metaInFile
    ? {}
    : { form: slot.form, commune: slot.commune, period: slot.period };
  if (format === 'json') {
    const objects = rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i]])));
    const body = metaInFile ? { form: slot.form, commune: slot.commune, period: slot.period, rows: objects } : objects;
    return { bytes: Buffer.from(JSON.stringify(body, null, 1)), fields };
  }
  const meta = metaInFile ? ['commune', 'period'] : [];
  const lines = [[...meta, ...headers].map(csvField).join(',')];
  for (const r of rows) lines.push([...(metaInFile ? [slot.commune, slot.period] : []), ...r].map(csvField).join(','));
  return { bytes: Buffer.from(`${lines.join('\n')}\n`), fields };
}

/** The provinces, districts, communes and files of one chaos run. */
export function buildUniverse(options: UniverseOptions): Universe {
  const rng = generator(options.seed);
  const provinces: string[] = [];
  const districts: { code: string; province: string }[] = [];
  const communes: Commune[] = [];
  const unitLines = ['province_code,province_name,district_code,district_name,commune_code,commune_name'];
  for (let p = 0; p < options.provinces; p += 1) {
    const province = String(80 + p);
    provinces.push(province);
    for (let d = 0; d < options.districtsPerProvince; d += 1) {
      const district = String(800 + p * 10 + d);
      districts.push({ code: district, province });
      for (let c = 0; c < options.communesPerDistrict; c += 1) {
        const code = String(80000 + p * 1000 + d * 100 + c);
        communes.push({ code, district, province });
        unitLines.push(`${province},Tỉnh Thử ${p + 1},${district},Huyện Thử ${p + 1}.${d + 1},${code},Xã Thử ${code}`);
      }
    }
  }

  const files: ChaosFile[] = [];
  const current = new Map<string, Report>();
  const add = (f: Omit<ChaosFile, 'index' | 'name' | 'bytes' | 'fields' | 'rows'>, report: Report) => {
    const format = rng.chance(0.5) ? 'csv' : 'json';
    const { bytes, fields } = render(report, f.slot, format, rng.chance(0.8));
    const index = files.length;
    files.push({
      ...f,
      rows: report.rows.length,
      index,
      name: `${f.slot.commune}-${f.slot.form.toLowerCase()}-${f.slot.period}-${f.kind}-${index}.${format}`,
      bytes,
      fields,
    });
  };

  const round2: (() => void)[] = [];
  for (const period of options.periods) {
    for (const commune of communes) {
      for (const form of ['HTS-BAN', 'HTS-XA'] as const) {
        if (rng.chance(options.missing)) continue;
        const slot: Slot = { commune: commune.code, form, period };
        const original = newReport(rng, form);
        const roll = rng.next();
        if (roll < options.corrections) {
          const fixed = corrected(rng, original);
          add({ round: 1, kind: 'original', slot, notEnqueued: false }, original);
          round2.push(() => add({ round: 2, kind: 'correction', slot, notEnqueued: false }, fixed));
          current.set(slotKey(slot), fixed);
          continue;
        }
        add({ round: 1, kind: 'original', slot, notEnqueued: false }, original);
        current.set(slotKey(slot), original);
        if (roll < options.corrections + options.duplicates) {
          round2.push(() => add({ round: 2, kind: 'duplicate', slot, notEnqueued: false }, original));
        } else if (roll < options.corrections + options.duplicates + options.broken) {
          round2.push(() => add({ round: 2, kind: 'broken', slot, notEnqueued: false }, brokenCopy(original)));
        }
      }
    }
  }
  for (const make of round2) make();

  // Some originals never reach the queue: only the reconciler can find them.
  const originals = files.filter((f) => f.round === 1);
  const count = Math.max(1, Math.round(originals.length * options.notEnqueued));
  for (let i = 0; i < count; i += 1) {
    const f = originals[Math.floor((i * originals.length) / count)]!;
    files[f.index] = { ...f, notEnqueued: true };
  }
  return {
    unitsCsv: `${unitLines.join('\n')}\n`,
    provinces,
    districts,
    communes,
    periods: [...options.periods],
    files,
    current,
  };
}
