import type { Issue } from '../../../schema/issue.ts';
import type { ReadLimits } from '../../../schema/raw-table.ts';
import { guardPackage } from '../zip/guard-package.ts';

/** `guardPackage` for XLSX: the workbook part is `xl/workbook.xml`, each sheet a part under `xl/worksheets/`. */
export function guardXlsx(bytes: Buffer, limits: ReadLimits): Promise<Issue[]> {
  return guardPackage(bytes, limits, {
    required: 'xl/workbook.xml',
  });
}
