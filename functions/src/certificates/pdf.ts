// 志愿服务证明 as a PDF: A4, Noto Sans SC embedded as a subset, the service records
// in a table that runs over as many pages as it needs (header repeated, every page
// numbered and carrying the serial), the issuer and a QR code to verify it at the end.
// Contents follow 《志愿服务记录与证明出具办法》(民政部令第67号).
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { type CertificateFonts, certificateFonts } from './font';
import { chineseDate, hours, shanghaiDay } from './format';
import { drawRecordsTable } from './records-table';

export interface CertificateRecordLine {
  servedOn: string;
  startedAt: string | null;
  endedAt: string | null;
  projectTitle: string;
  content: string;
  place: string;
  minutes: number;
  recordedBy: string;
}

export interface CertificateDocument {
  serial: string;
  verifyCode: string;
  verifyUrl: string;
  volunteerName: string;
  idNumberMasked: string | null;
  volunteerNumber: string;
  periodStart: string;
  periodEnd: string;
  totalMinutes: number;
  serviceCount: number;
  issuer: { name: string; streetName: string; address: string; phone: string };
  handlerName: string;
  issuedAt: string;
  records: CertificateRecordLine[];
}

type Pdf = PDFKit.PDFDocument;

const MARGIN = { top: 56, bottom: 64, left: 50, right: 50 };
const INK = '#1a1a1a';
const MUTED = '#555555';

function statement(doc: CertificateDocument): string {
  const id = doc.idNumberMasked ? `证件号码：${doc.idNumberMasked}，` : '';
  return (
    `兹证明志愿者${doc.volunteerName}（${id}志愿者编号：${doc.volunteerNumber}）于` +
    `${chineseDate(doc.periodStart)}至${chineseDate(doc.periodEnd)}期间，参加由${doc.issuer.name}` +
    `组织的志愿服务活动，累计服务 ${doc.serviceCount} 次，志愿服务时长共计 ${hours(doc.totalMinutes)} 小时` +
    `（${doc.totalMinutes} 分钟）。服务记录明细如下：`
  );
}

function assertPrintable(doc: CertificateDocument): void {
  if (doc.records.length === 0) throw new Error('志愿服务证明至少要有一条服务记录');
  // The certificate may carry only a masked ID number: a whole one here is a caller's bug.
  if (doc.idNumberMasked && /\d{17}[\dXx]/.test(doc.idNumberMasked)) {
    throw new Error('志愿服务证明只能印出遮挡后的证件号码');
  }
}

/** The certificate as a PDF file (A4, Chinese font embedded). Throws on a certificate without records. */
export async function renderCertificatePdf(doc: CertificateDocument): Promise<Buffer> {
  assertPrintable(doc);
  const fonts = await certificateFonts();
  const pdf = openPdf(doc, fonts);
  const done = collect(pdf);
  drawOpening(pdf, doc);
  pdf.y = drawRecordsTable(pdf, doc, pdf.y, () => continuationPage(pdf, doc));
  drawClosing(pdf, doc);
  numberPages(pdf, doc.serial);
  pdf.end();
  return done;
}

function openPdf(doc: CertificateDocument, fonts: CertificateFonts): Pdf {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    // Our own default font: pdfkit's default, Helvetica, is required as '#standard-fonts/…' from
    // pdfkit's package and cannot be found once pdfkit is inlined in a bundle.
    font: fontSource(fonts.regular) as unknown as string,
    info: {
      Title: `志愿服务证明 ${doc.serial}`,
      Author: doc.issuer.name,
      Subject: `${doc.volunteerName} 志愿服务证明`,
      Creator: '邻里帮',
      CreationDate: new Date(doc.issuedAt),
    },
  });
  pdf.registerFont('regular', fontSource(fonts.regular));
  pdf.registerFont('bold', fontSource(fonts.bold));
  return pdf.font('regular').fillColor(INK);
}

// @types/pdfkit lags pdfkit 0.20, which takes a parsed fontkit font wherever it takes font bytes.
const fontSource = (font: Font) => font as unknown as PDFKit.Mixins.PDFFontSource;

function collect(pdf: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

const left = (pdf: Pdf) => pdf.page.margins.left;
const textWidth = (pdf: Pdf) => pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
const bottom = (pdf: Pdf) => pdf.page.height - pdf.page.margins.bottom;

function drawOpening(pdf: Pdf, doc: CertificateDocument): void {
  const width = textWidth(pdf);
  pdf.font('bold').fontSize(24).text('志愿服务证明', left(pdf), MARGIN.top, {
    width,
    align: 'center',
    characterSpacing: 8,
  });
  pdf.moveDown(0.3);
  pdf.font('regular').fontSize(9.5).fillColor(MUTED);
  pdf.text(`证明编号：${doc.serial}`, { width, align: 'right' }).fillColor(INK);
  pdf.moveDown(0.8);
  pdf.fontSize(12).text(statement(doc), left(pdf), pdf.y, { width, indent: 24, lineGap: 7 });
  pdf.moveDown(0.8);
}

function continuationPage(pdf: Pdf, doc: CertificateDocument): number {
  pdf.addPage();
  pdf.font('regular').fontSize(9.5).fillColor(MUTED);
  pdf.text(`志愿服务证明（续）  志愿者：${doc.volunteerName}`, left(pdf), MARGIN.top - 18, {
    width: textWidth(pdf),
    height: pdf.currentLineHeight(true), // one line, ending in … if the name is very long
    ellipsis: true,
  });
  pdf.fillColor(INK);
  return MARGIN.top;
}

const QR_SIZE = 104;
const LABEL_WIDTH = 64;
const BASIS =
  '本证明依据《志愿服务记录与证明出具办法》（民政部令第67号）出具，所列服务均经服务对象确认或社区核实，' +
  '时长以志愿服务记录为准。';

function closingLines(doc: CertificateDocument): [string, string][] {
  return [
    ['出具单位', `${doc.issuer.name}（${doc.issuer.streetName}）`],
    ['单位地址', doc.issuer.address],
    ['联系电话', doc.issuer.phone],
    ['经 办 人', doc.handlerName],
    ['开具日期', chineseDate(shanghaiDay(doc.issuedAt))],
    ['证明编号', doc.serial],
    ['验 证 码', doc.verifyCode],
  ];
}

const verifyHint = (doc: CertificateDocument) =>
  `核验方式：扫描右侧二维码，或访问 ${doc.verifyUrl} 并输入验证码 ${doc.verifyCode}，即可核验本证明的真伪。`;

/** The closing block's height, so that it moves to a new page whole rather than split. */
function closingHeight(pdf: Pdf, doc: CertificateDocument, valueWidth: number): number {
  const width = textWidth(pdf);
  pdf.font('regular').fontSize(10.5);
  const lines = closingLines(doc).reduce(
    (sum, [, value]) => sum + pdf.heightOfString(value, { width: valueWidth, lineGap: 4 }),
    0,
  );
  pdf.fontSize(10);
  const notes = [BASIS, verifyHint(doc)].reduce(
    (sum, text) => sum + pdf.heightOfString(text, { width, lineGap: 3 }),
    0,
  );
  return 16 + notes + 12 + Math.max(lines, QR_SIZE + 18) + 12;
}

/** The legal basis, the issuer and how to verify, with the QR code on the right. */
function drawClosing(pdf: Pdf, doc: CertificateDocument): void {
  const width = textWidth(pdf);
  const valueWidth = width - QR_SIZE - 24 - LABEL_WIDTH;
  let y = pdf.y + 16;
  if (y + closingHeight(pdf, doc, valueWidth) > bottom(pdf)) y = continuationPage(pdf, doc) + 8;

  pdf.font('regular').fontSize(10).fillColor(MUTED).text(BASIS, left(pdf), y, { width, lineGap: 3 });
  const top = pdf.y + 12;
  y = top;
  pdf.fontSize(10.5).fillColor(INK);
  for (const [label, value] of closingLines(doc)) {
    pdf.font('bold').text(`${label}：`, left(pdf), y, { width: LABEL_WIDTH, lineBreak: false });
    pdf.font('regular').text(value, left(pdf) + LABEL_WIDTH, y, { width: valueWidth, lineGap: 4 });
    y = pdf.y;
  }
  const qrX = left(pdf) + width - QR_SIZE;
  drawQr(pdf, doc.verifyUrl, qrX, top);
  pdf.fontSize(9).fillColor(MUTED);
  pdf.text('扫码核验', qrX, top + QR_SIZE + 2, { width: QR_SIZE, align: 'center', lineBreak: false });
  y = Math.max(y, top + QR_SIZE + 18) + 12;
  pdf.fontSize(10).fillColor(INK).text(verifyHint(doc), left(pdf), y, { width, lineGap: 3 });
}

/** The QR code as vector squares (one rectangle per run of dark modules), with its quiet zone. */
function drawQr(pdf: Pdf, text: string, x: number, y: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const unit = QR_SIZE / (modules.size + 2 * quiet);
  pdf.rect(x, y, QR_SIZE, QR_SIZE).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < modules.size && modules.get(row, end)) end++;
      pdf.rect(x + (quiet + col) * unit, y + (quiet + row) * unit, (end - col) * unit, unit);
      col = end;
    }
  }
  pdf.fill('#000000');
}

/** 第 i 页 共 N 页 and the serial at the foot of every page, once the page count is known. */
function numberPages(pdf: Pdf, serial: string): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    pdf.page.margins.bottom = 0; // else pdfkit starts a new page for text below the margin
    const y = pdf.page.height - MARGIN.bottom + 24;
    pdf.font('regular').fontSize(9).fillColor(MUTED);
    pdf.text(`证明编号 ${serial}    第 ${i - start + 1} 页 共 ${count} 页`, left(pdf), y, {
      width: textWidth(pdf),
      align: 'center',
      lineBreak: false,
    });
  }
}
