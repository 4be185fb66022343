import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { formsOfPeriod } from '../../forms/form-catalog.ts';
import { Readable } from 'node:stream';
import { csvLineChunks, localeCsvChunks } from '../../export/csv.ts';
import {
  csvLocaleOf,
  exportDisposition,
  placeName,
  snapshotTableRow,
  tableCsvColumns,
  tableSheetColumns,
  vietnamClock,
  type TableLang,
  type TableNames,
} from '../../export/snapshot-table.ts';
import { xlsxStream } from '../../export/xlsx.ts';
import type { FormCatalog } from '../../forms/form-catalog.ts';
import { periodName } from '../web/client/period-name.ts';
import { unitLevels } from '../../schema/database.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { readCompleteness } from '../../read/completeness.ts';
import { unitAt } from '../../units/lookup.ts';
import { requirePrincipal, requireUnitAccess } from '../auth.ts';
import { HttpError } from '../errors.ts';
import {
  badRequest,
  guarded,
  instantField,
  jsonAnswer,
  periodField,
  provinceField,
  refused,
  unitField,
} from '../route-schema.ts';
import { querySnapshots, snapshotColumns, streamSnapshotCsvLines, streamSnapshots } from '../../read/snapshots.ts';
import { queryRecast, recastColumns, streamRecast, streamRecastCsvLines } from '../../read/recast.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const snapshotQuery = z.object({
  level: z.enum(unitLevels).optional(),
  unit: unitField.optional(),
  period: periodField.optional(),
  indicator: z.string().max(64).optional(),
  province: provinceField.optional(),
  as_of: instantField.optional().describe('the snapshot as it stood then'),
  /** `period`: each period on its own hierarchy; `current`: every period recast onto today's units, which have no districts. */
  boundaries: z.enum(['period', 'current']).default('period'),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  /**
   * `data`: every column as stored, for programs (English names, `,`, raw values). `table`: the
   * analyst page's table for a person's spreadsheet, in `lang` (names, `Quý II/2023`, percentages,
   * Vietnam time, `;` and `,` decimals in Vietnamese).
   */
  view: z
    .enum(['data', 'table'])
    .default('data')
    .describe(
      'csv/xlsx: `data` every column as stored (for software); `table` the analyst page’s table for a spreadsheet: ' +
        'names, `Quý II/2023`, rounded percentages, Vietnam time, in Vietnamese `;` and decimal commas',
    ),
  lang: z.enum(['vi', 'en']).default('vi').describe('the language of a `view=table` export'),
});

/** Indicator names from the form definitions, the newest version's name first. */
function indicatorNamesOf(catalog: FormCatalog, lang: TableLang): TableNames['indicator'] {
  const names = new Map<string, { name: string; rate: boolean }>();
  for (const form of [...catalog.list(), ...[...catalog.versions()].reverse()]) {
    for (const i of form.indicators)
      if (!names.has(i.code)) names.set(i.code, { name: i.name[lang], rate: i.denominator !== undefined });
  }
  return (code) => names.get(code);
}

const levelWords: Record<TableLang, Record<string, string>> = {
  vi: { province: 'tỉnh', district: 'huyện', commune: 'xã' },
  en: { province: 'provinces', district: 'districts', commune: 'communes' },
};

const completenessQuery = z.object({
  period: periodField,
  level: z.enum(unitLevels).default('province'),
  unit: unitField,
});

export function snapshotRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const snapshots = {
      operationId: 'getSnapshots',
      summary: 'Indicator figures, current or as of an instant',
      querystring: snapshotQuery,
      response: {
        200: {
          description:
            'rows of analytics.indicator_snapshot (or, boundaries=current, recast onto today’s units), as JSON, CSV or XLSX',
          content: {
            'application/json': { schema: z.unknown() },
            'text/csv': { schema: z.string() },
            [xlsxType]: { schema: z.string().meta({ format: 'binary' }) },
          },
        },
        ...guarded,
        ...badRequest,
        404: refused('no such unit in the chosen boundaries'),
        413: refused('more rows than a JSON answer holds: narrow the query or ask for CSV or XLSX'),
      },
    };
    app.get('/v1/snapshots', { schema: snapshots }, async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = request.query;
      const today = vietnamDay(deps.now());
      const filter = {
        level: q.level,
        unit: q.unit,
        period: q.period?.canonical,
        indicator: q.indicator,
        province: q.province,
        asOf: q.as_of,
      };
      const current = q.boundaries === 'current';
      if (current && q.level === 'district') {
        throw new HttpError('TONGHOP_ERR_BAD_REQUEST', [
          {
            path: 'level',
            message: {
              vi: 'đơn vị hành chính hiện nay không có cấp huyện: dùng level=commune hoặc level=province với boundaries=current',
              en: "today's units have no districts: use level=commune or level=province with boundaries=current",
            },
          },
        ]);
      }
      const recastFilter = { ...filter, level: q.level === 'district' ? undefined : q.level };
      const columns = current ? recastColumns : snapshotColumns;
      const name = current ? 'tonghop-snapshots-current-boundaries' : 'tonghop-snapshots';
      // Exports are whole: rows stream from a cursor, however many there are.
      if (q.format !== 'json') {
        // The rows as node-postgres reads them, for the exports that format them here (XLSX, the table view).
        const rows = () =>
          current ? streamRecast(deps.db, principal, recastFilter) : streamSnapshots(deps.db, principal, filter, today);
        if (q.view === 'table') {
          const names: TableNames = {
            lang: q.lang,
            indicator: indicatorNamesOf(deps.forms, q.lang),
            period: (p) => periodName(p, q.lang),
          };
          const place = q.unit ?? q.province;
          const unit = place
            ? await deps.db
                .selectFrom('admin_unit')
                .select('name')
                .where('code', '=', place)
                .where('level', '=', q.unit ? (q.level ?? 'commune') : 'province')
                .orderBy('valid_from', 'desc')
                .executeTakeFirst()
            : undefined;
          const disposition = (extension: string) =>
            exportDisposition(
              [
                unit ? placeName(unit.name) : place,
                q.period ? names.period(q.period.canonical) : null,
                q.level ? levelWords[q.lang][q.level] : null,
                q.indicator ? (names.indicator(q.indicator)?.name ?? q.indicator) : null,
                q.as_of
                  ? `${q.lang === 'vi' ? 'lúc' : 'as-of'} ${vietnamClock(q.as_of, 'en').replace(':', 'h')}`
                  : null,
              ],
              extension,
            );
          const sheet = q.format === 'xlsx';
          const tableRows = (async function* () {
            for await (const row of rows()) yield snapshotTableRow(row as Record<string, unknown>, names, sheet);
          })();
          if (!sheet)
            return reply
              .type('text/csv; charset=utf-8')
              .header('content-disposition', disposition('csv'))
              .send(Readable.from(localeCsvChunks(tableCsvColumns(q.lang), tableRows, csvLocaleOf[q.lang])));
          return reply
            .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .header('content-disposition', disposition('xlsx'))
            .send(xlsxStream(tableSheetColumns(q.lang), tableRows, q.lang === 'vi' ? 'Số liệu' : 'Figures'));
        }
        if (q.format === 'csv') {
          // Postgres writes each line (export/csv-sql.ts), the bytes csvChunks would write from `rows()`.
          const lines = current
            ? streamRecastCsvLines(deps.db, principal, recastFilter)
            : streamSnapshotCsvLines(deps.db, principal, filter, today);
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}.csv"`)
            .send(Readable.from(csvLineChunks(columns, lines)));
        }
        return reply
          .type(xlsxType)
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(xlsxStream(columns, rows(), 'snapshots'));
      }
      // A JSON answer is held whole, so it has a bound, and past it the answer says so rather than cutting rows off.
      const limit = deps.config.JSON_ROW_LIMIT;
      const rows = current
        ? await queryRecast(deps.db, principal, recastFilter, limit)
        : await querySnapshots(deps.db, principal, filter, today, limit);
      if (rows.length > limit)
        throw new HttpError('TONGHOP_ERR_TOO_MANY_ROWS', [
          {
            path: 'format',
            message: {
              vi: `hơn ${limit} dòng: hãy thu hẹp truy vấn, hoặc dùng format=csv hay format=xlsx`,
              en: `more than ${limit} rows: narrow the query, or use format=csv or format=xlsx`,
            },
          },
        ]);
      return current ? { boundaries: 'current', snapshots: rows } : { snapshots: rows };
    });

    const completeness = {
      operationId: 'getCompleteness',
      summary: 'Expected and reported communes, and which are missing',
      querystring: completenessQuery,
      response: {
        200: jsonAnswer('per form: expected, reported, missing'),
        ...guarded,
        ...badRequest,
        403: refused('outside the caller’s scope'),
        404: refused('no such unit'),
      },
    };
    app.get('/v1/completeness', { schema: completeness }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = request.query;
      const period = q.period;
      const unit = await unitAt(deps.db, q.level, q.unit, period.lastDay);
      if (!unit) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      await requireUnitAccess(
        deps.db,
        principal,
        { level: q.level, code: q.unit },
        period.lastDay,
        vietnamDay(deps.now()),
      );

      return {
        level: q.level,
        unit: q.unit,
        period: period.canonical,
        forms: await readCompleteness(
          deps.db,
          formsOfPeriod(deps.forms, period),
          { level: q.level, code: q.unit, provinceCode: unit.province_code },
          period,
        ),
      };
    });
  };
  return routes;
}
