/**
 * Report files as commune offices make them (SPEC §3 "Sheets as offices lay them out"): the Nậm Pồ
 * fixtures laid out in a workbook with a national heading, a title, label cells, an STT column, a
 * header over two rows with merged group titles, a column-number row, blank rows, a total row and
 * the signature block; built with exceljs, and re-saved by LibreOffice where it is installed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Worksheet } from 'exceljs';
import type { Form } from '../../src/schema/form.ts';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { namPoFiles, type FileToSend } from './builders.ts';
import { xlsxOf } from './report-files.ts';

const shipped = shippedFormCatalog();
const htsBan = shipped.find('HTS-BAN')!;
const htsXa = shipped.find('HTS-XA')!;

export type Cell = string | number;

/** One commune's report: its form, commune, period and rows, each row its cells in the form's field order. */
export type Report = {
  readonly form: Form;
  readonly commune: string;
  readonly period: string;
  readonly rows: readonly (readonly Cell[])[];
};

/** How an office laid out its sheet. */
export type Layout = {
  readonly name: string;
  /** The table's first column (1 = A). */
  readonly startColumn: number;
  /** The row-number column's header, or none. */
  readonly stt: 'STT' | 'TT' | null;
  /** Group titles over runs of the form's fields (a header over two rows with merged cells). */
  readonly groups: boolean;
  readonly columnNumbers: 'bracketed' | 'bare' | null;
  /** Where the total row is and what it is called; `formulas`: SUM formulas with their results, as Excel saves them. */
  readonly total: { readonly at: 'top' | 'bottom'; readonly label: string; readonly formulas: boolean } | null;
  /** Blank rows between villages. */
  readonly blankRows: boolean;
  /** The signature block right under the table, or after blank rows and to the right of it. */
  readonly signature: 'under' | 'apart';
  /**
   * An official document's heading above the title: the number on the motto's second row, or laid
   * out as Nghị định 30/2020 has it (the number and the place and date on a row of their own).
   */
  readonly heading: 'motto' | 'decree' | null;
};

export const layouts: readonly Layout[] = [
  {
    name: 'full form',
    startColumn: 1,
    stt: 'STT',
    groups: true,
    columnNumbers: 'bracketed',
    total: { at: 'bottom', label: 'Tổng cộng', formulas: false },
    blankRows: true,
    signature: 'under',
    heading: 'motto',
  },
  {
    name: 'total first, bare numbers',
    startColumn: 2,
    stt: 'TT',
    groups: false,
    columnNumbers: 'bare',
    total: { at: 'top', label: 'Cộng', formulas: false },
    blankRows: false,
    signature: 'apart',
    heading: null,
  },
  {
    name: 'sum formulas, block apart',
    startColumn: 1,
    stt: 'STT',
    groups: true,
    columnNumbers: null,
    total: { at: 'bottom', label: 'TỔNG CỘNG XÃ', formulas: true },
    blankRows: true,
    signature: 'apart',
    heading: 'decree',
  },
  {
    name: 'plain',
    startColumn: 3,
    stt: null,
    groups: false,
    columnNumbers: 'bracketed',
    total: null,
    blankRows: false,
    signature: 'under',
    heading: null,
  },
];

/** Group titles offices put over runs of columns, by the first and last field of each run. */
const groupsOf: ReadonlyMap<string, readonly { title: string; from: string; to: string }[]> = new Map([
  [
    htsBan.code,
    [
      { title: 'Hạ tầng', from: 'fiber', to: 'mobile_3g' },
      { title: 'Người dân', from: 'smartphone_users', to: 'epayment_users' },
    ],
  ],
  [
    htsXa.code,
    [
      { title: 'Máy tính', from: 'computers', to: 'computers_broadband' },
      { title: 'Cán bộ, công chức', from: 'staff', to: 'staff_with_computer' },
    ],
  ],
]);

/** Puts values left to right from a cell. */
function put(
  ws: Worksheet,
  row: number,
  column: number,
  values: readonly (Cell | null | { formula: string; result: number })[],
): void {
  values.forEach((value, i) => {
    if (value !== null) ws.getCell(row, column + i).value = value as never;
  });
}

/** The report as an office's workbook in the given layout. */
export async function officeWorkbook(report: Report, layout: Layout): Promise<Buffer> {
  return xlsxOf((wb) => {
    const ws = wb.addWorksheet('Biểu');
    const fields = report.form.fields;
    const first = layout.startColumn;
    const dataColumn = first + (layout.stt ? 1 : 0);
    const last = dataColumn + fields.length - 1;
    let r = 1;
    if (layout.heading === 'motto') {
      put(ws, r, first, ['UBND XÃ', null, null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']);
      put(ws, r + 1, first, ['Số: 12/BC-UBND', null, null, 'Độc lập - Tự do - Hạnh phúc']);
      r += 3;
    }
    if (layout.heading === 'decree') {
      put(ws, r, first, ['UBND HUYỆN NẬM PỒ', null, null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']);
      put(ws, r + 1, first, ['UBND XÃ', null, null, 'Độc lập - Tự do - Hạnh phúc']);
      put(ws, r + 2, first, ['Số:      /BC-UBND', null, null, 'Nậm Pồ, ngày 05 tháng 7 năm 2023']);
      r += 4;
    }
    put(ws, r++, first, [`BÁO CÁO ${report.form.title.vi.toUpperCase()}`]);
    ws.mergeCells(r - 1, first, r - 1, last);
    put(ws, r++, first, ['Biểu mẫu:', report.form.code]);
    put(ws, r++, first, ['Mã xã:', report.commune]);
    put(ws, r++, first, [`Kỳ báo cáo: ${report.period}`]);
    put(ws, r++, first, ['Đơn vị tính: hộ, người']);
    r += 1;

    // The header: one row, or a group title over its sub-columns with the other headers merged down.
    const top = r;
    const groups = layout.groups ? (groupsOf.get(report.form.code) ?? []) : [];
    const groupOf = (key: string) =>
      groups.find(
        (g) =>
          fields.findIndex((f) => f.key === key) >= fields.findIndex((f) => f.key === g.from) &&
          fields.findIndex((f) => f.key === key) <= fields.findIndex((f) => f.key === g.to),
      );
    const headerCells: { column: number; text: string }[] = [];
    if (layout.stt) headerCells.push({ column: first, text: layout.stt });
    fields.forEach((field, i) => headerCells.push({ column: dataColumn + i, text: field.header }));
    if (groups.length === 0) for (const { column, text } of headerCells) put(ws, top, column, [text]);
    else {
      for (const { column, text } of headerCells) {
        const field = fields[column - dataColumn];
        const group = field ? groupOf(field.key) : undefined;
        if (group === undefined) {
          put(ws, top, column, [text]);
          ws.mergeCells(top, column, top + 1, column);
        } else put(ws, top + 1, column, [text]);
      }
      for (const group of groups) {
        const from = dataColumn + fields.findIndex((f) => f.key === group.from);
        const to = dataColumn + fields.findIndex((f) => f.key === group.to);
        put(ws, top, from, [group.title]);
        ws.mergeCells(top, from, top, to);
      }
    }
    r = top + (groups.length > 0 ? 2 : 1);
    if (layout.columnNumbers) {
      const count = last - first + 1;
      put(
        ws,
        r++,
        first,
        Array.from({ length: count }, (_, i) => (layout.columnNumbers === 'bracketed' ? `(${i + 1})` : i + 1)),
      );
    }

    const totalRow = (at: number, from: number, to: number): void => {
      const cells: (Cell | null | { formula: string; result: number })[] = fields.map((field, i) => {
        if (field.type === 'text') return null;
        const values = report.rows.map((row) => row[i]!);
        const total =
          field.type === 'integer'
            ? values.reduce<number>((sum, v) => sum + Number(v), 0)
            : values.filter((v) => v === 'Có').length;
        if (!layout.total?.formulas) return total;
        const letter = ws.getColumn(dataColumn + i).letter;
        return {
          formula:
            field.type === 'integer'
              ? `SUM(${letter}${from}:${letter}${to})`
              : `COUNTIF(${letter}${from}:${letter}${to},"Có")`,
          result: total,
        };
      });
      put(ws, at, dataColumn, cells);
      put(ws, at, first, [layout.total!.label]);
    };
    if (layout.total?.at === 'top') r += 1;
    const from = r;
    report.rows.forEach((row, i) => {
      put(ws, r, first, layout.stt ? [i + 1] : []);
      put(ws, r, dataColumn, row);
      r += layout.blankRows && i % 3 === 2 ? 2 : 1;
    });
    const to = r - 1;
    if (layout.total?.at === 'top') totalRow(from - 1, from, to);
    if (layout.total?.at === 'bottom') totalRow(r++, from, to);

    const signer = layout.signature === 'under' ? last - 1 : last + 2;
    r += layout.signature === 'under' ? 1 : 4;
    put(ws, r++, signer, ['Nậm Pồ, ngày 05 tháng 7 năm 2023']);
    put(ws, r, dataColumn, ['Người lập biểu']);
    put(ws, r++, signer, [layout.signature === 'under' ? 'Chủ tịch UBND xã' : 'Thủ trưởng đơn vị']);
    put(ws, r, dataColumn, ['(Ký, ghi rõ họ tên)']);
    put(ws, r++, signer, ['(Ký, ghi rõ họ tên, đóng dấu)']);
    r += 3;
    put(ws, r, dataColumn, ['Lò Văn A']);
    put(ws, r, signer, ['Vàng A B']);
  });
}

/** The 30 Nậm Pồ reports (15 communes × HTS-BAN, HTS-XA, 2023-Q2) read from the fixture files. */
export async function namPoReports(): Promise<Report[]> {
  const reports: Report[] = [];
  for (const file of await namPoFiles()) {
    const text = file.bytes.toString();
    if (file.name.endsWith('.csv')) {
      const [, ...lines] = text
        .trim()
        .split(/\r?\n/u)
        .map((line) => line.split(','));
      const commune = lines[0]![0]!;
      reports.push({
        form: htsBan,
        commune,
        period: lines[0]![1]!,
        rows: lines.map((cells) => cells.slice(2).map((cell) => (/^\d+$/u.test(cell) ? Number(cell) : cell))),
      });
    } else {
      const json = JSON.parse(text) as { commune: string; period: string; rows: Record<string, Cell>[] };
      reports.push({
        form: htsXa,
        commune: json.commune,
        period: json.period,
        rows: json.rows.map((row) => htsXa.fields.map((field) => row[field.header]!)),
      });
    }
  }
  return reports;
}

/** The Nậm Pồ reports as office workbooks, each commune in the next layout. */
export async function namPoOfficeFiles(): Promise<FileToSend[]> {
  const reports = await namPoReports();
  return Promise.all(
    reports.map(async (report, i) => ({
      name: `${report.commune}-${report.form.code}-${layouts[i % layouts.length]!.name.replaceAll(/\W+/gu, '-')}.xlsx`,
      bytes: await officeWorkbook(report, layouts[i % layouts.length]!),
    })),
  );
}

const run = promisify(execFile);

/** Whether LibreOffice is installed (Debian's `libreoffice-calc-nogui`; `.ci/run` installs it). */
export async function hasLibreOffice(): Promise<boolean> {
  try {
    await run('soffice', ['--version'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Files converted by LibreOffice headless, all in one run (its start-up is the slow part), with a
 * profile of its own so that runs side by side do not share one. `to` is the target as soffice
 * takes it: `xlsx`, `ods`, `xls`, `csv:Text - txt - csv (StarCalc):44,34,76` (UTF-8).
 */
export async function libreOfficeConvert(
  files: readonly FileToSend[],
  to: string,
  extension: string,
): Promise<FileToSend[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tonghop-office-'));
  try {
    const inputs = join(dir, 'in');
    const outputs = join(dir, 'out');
    await run('mkdir', ['-p', inputs, outputs]);
    for (const file of files) await writeFile(join(inputs, file.name), file.bytes);
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        to,
        '--outdir',
        outputs,
        ...files.map((file) => join(inputs, file.name)),
      ],
      { timeout: 240_000 },
    );
    const made = (await readdir(outputs)).sort();
    if (made.length !== files.length) throw new Error(`LibreOffice converted ${made.length} of ${files.length} files`);
    return Promise.all(
      made.map(async (name) => ({
        name: name.replace(/\.[^.]+$/u, `.${extension}`),
        bytes: await readFile(join(outputs, name)),
      })),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
