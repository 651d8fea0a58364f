// Reading a PDF back in tests: its text (pdfjs, through the fonts' ToUnicode maps, as a
// copy-paste or a screen reader gets it) and page 1 as a picture (pdfjs drawing on
// @napi-rs/canvas, a prebuilt binary from npm: no browser, no apt package).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

function openPdf(buf: Uint8Array): Promise<PDFDocumentProxy> {
  // pdfjs detaches the array it is given: hand it a copy so the caller's stays usable.
  return getDocument({ data: new Uint8Array(buf), isEvalSupported: false, verbosity: 0 }).promise;
}

/** All text of a PDF: pages in order, one line per text line, pages separated by a form feed. */
export async function pdfText(buf: Uint8Array): Promise<string> {
  const pdf = await openPdf(buf);
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      pages.push(
        content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''),
      );
    }
    return pages.join('\f');
  } finally {
    await pdf.destroy();
  }
}

export interface PageImage {
  png: Buffer;
  width: number;
  height: number;
  /** RGBA pixels, row by row (what QR decoders take). */
  rgba: Uint8ClampedArray;
}

/** One page (1-based; -1 is the last) drawn at `scale` × 72 dpi on a white background. */
export async function renderPage(buf: Uint8Array, pageNumber = 1, scale = 2): Promise<PageImage> {
  const pdf = await openPdf(buf);
  try {
    const page = await pdf.getPage(pageNumber < 0 ? pdf.numPages + 1 + pageNumber : pageNumber);
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    // pdfjs's types name the DOM canvas; @napi-rs/canvas implements the same 2D API.
    await page.render({
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: context as unknown as CanvasRenderingContext2D,
      viewport,
    }).promise;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { png: canvas.toBuffer('image/png'), width: canvas.width, height: canvas.height, rgba: data };
  } finally {
    await pdf.destroy();
  }
}

/** Writes page 1 as a PNG (folders made as needed). */
export async function renderFirstPagePng(buf: Uint8Array, outFile: string): Promise<void> {
  const { png } = await renderPage(buf, 1);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, png);
}
