// CSV as RFC 4180 describes it: comma-separated, CRLF line ends, fields quoted when they hold a comma, a quote or a
// line break. Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
export type Cell = string | number | boolean | null;

function field(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((r) => r.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Reads back what toCsv wrote (for tests and for anyone checking an export): rows of strings, header first. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cur);
      cur = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
      i++;
    } else cur += ch;
  }
  if (cur || row.length) rows.push([...row, cur]);
  return rows;
}
