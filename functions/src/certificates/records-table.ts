// The certificate's table of service records: cells wrap inside their column, a row
// never splits across pages, and every page the table reaches starts with its header.
import { clockRange, hours } from './format';
import type { CertificateRecordLine } from './pdf';

type Pdf = PDFKit.PDFDocument;
type Align = 'left' | 'center' | 'right';
interface Cell {
  text: string;
  width: number;
  align: Align;
}

const INK = '#1a1a1a';
const RULE = '#8c8c8c';
const HEADER_FILL = '#eeeeee';
const SIZE = 9;
const PAD = 4;
const LINE_GAP = 1.5;
// A longer text ends in '…' rather than make one row taller than a page.
const MAX_LINES = 5;

// Widths add up to the A4 text width between 50 pt margins (495.28 pt).
const COLUMNS: { title: string; width: number; align: Align; value: (r: CertificateRecordLine) => string }[] =
  [
    { title: '服务日期', width: 58, align: 'center', value: (r) => r.servedOn },
    { title: '服务时间', width: 60, align: 'center', value: (r) => clockRange(r.startedAt, r.endedAt) },
    { title: '服务项目', width: 108, align: 'left', value: (r) => r.projectTitle },
    { title: '服务内容', width: 58, align: 'left', value: (r) => r.content },
    { title: '服务地点', width: 112, align: 'left', value: (r) => r.place },
    { title: '时长\n(小时)', width: 40, align: 'center', value: (r) => hours(r.minutes) },
    { title: '记录人', width: 59.28, align: 'left', value: (r) => r.recordedBy },
  ];

function textHeight(pdf: Pdf, cell: Cell): number {
  const height = pdf.heightOfString(cell.text, { width: cell.width - 2 * PAD, lineGap: LINE_GAP });
  return Math.min(height, (pdf.currentLineHeight(true) + LINE_GAP) * MAX_LINES);
}

function rowHeight(pdf: Pdf, cells: Cell[]): number {
  return Math.max(...cells.map((cell) => textHeight(pdf, cell))) + 2 * PAD;
}

/** One row at `y` in the current font, text centred vertically in each cell; returns its height. */
function drawRow(pdf: Pdf, cells: Cell[], y: number, fill?: string): number {
  const height = rowHeight(pdf, cells);
  const width = cells.reduce((sum, cell) => sum + cell.width, 0);
  if (fill) pdf.rect(pdf.page.margins.left, y, width, height).fill(fill);
  let x = pdf.page.margins.left;
  for (const cell of cells) {
    const inner = textHeight(pdf, cell);
    pdf.rect(x, y, cell.width, height).lineWidth(0.5).stroke(RULE);
    pdf.fillColor(INK).text(cell.text, x + PAD, y + (height - inner) / 2, {
      width: cell.width - 2 * PAD,
      height: inner + 1,
      align: cell.align,
      lineGap: LINE_GAP,
      ellipsis: true,
    });
    x += cell.width;
  }
  return height;
}

const headerCells = (): Cell[] => COLUMNS.map((c) => ({ text: c.title, width: c.width, align: 'center' }));
const recordCells = (r: CertificateRecordLine): Cell[] =>
  COLUMNS.map((c) => ({ text: c.value(r), width: c.width, align: c.align }));

function totalCells(count: number, minutes: number): Cell[] {
  const span = COLUMNS.slice(0, 5).reduce((sum, c) => sum + c.width, 0);
  return [
    { text: `合计 ${count} 次`, width: span, align: 'center' },
    { text: hours(minutes), width: COLUMNS[5]?.width ?? 0, align: 'center' },
    { text: '', width: COLUMNS[6]?.width ?? 0, align: 'left' },
  ];
}

/**
 * Draws the records and their total from `y` on; `newPage` starts a page and answers
 * where the table may go on. Returns the y below the table.
 */
export function drawRecordsTable(
  pdf: Pdf,
  table: { records: CertificateRecordLine[]; serviceCount: number; totalMinutes: number },
  y: number,
  newPage: () => number,
): number {
  const bottom = () => pdf.page.height - pdf.page.margins.bottom;
  const header = (at: number) =>
    at + drawRow(pdf.font('bold').fontSize(SIZE), headerCells(), at, HEADER_FILL);
  const rows = [
    ...table.records.map((r) => ({ cells: recordCells(r), font: 'regular' })),
    { cells: totalCells(table.serviceCount, table.totalMinutes), font: 'bold' },
  ];
  let at = header(y);
  for (const row of rows) {
    pdf.font(row.font).fontSize(SIZE);
    if (at + rowHeight(pdf, row.cells) > bottom()) {
      at = header(newPage());
      pdf.font(row.font).fontSize(SIZE);
    }
    at += drawRow(pdf, row.cells, at);
  }
  pdf.font('regular');
  return at;
}
