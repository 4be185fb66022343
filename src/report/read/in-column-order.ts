/** A row's cells left to right, the last of two in one column winning, as exceljs keeps them (XLSX, XLS). */
export function inColumnOrder<Cell extends { readonly column: number }>(cells: Cell[]): Cell[] {
  for (let i = 1; i < cells.length; i++) {
    if (cells[i]!.column <= cells[i - 1]!.column) {
      const byColumn = new Map(cells.map((found) => [found.column, found]));
      return [...byColumn.values()].sort((a, b) => a.column - b.column);
    }
  }
  return cells;
}
