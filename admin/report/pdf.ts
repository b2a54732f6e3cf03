/**
 * ReportDocument ──▶ PDF (pdfkit, pure JS): the same page as docx.ts — A4, Nghị định 30/2020/NĐ-CP margins (top and
 * bottom 20 mm, left 30 mm, right 15 mm), 14 pt body, page numbers centred in the top margin from page 2, landscape
 * appendices — set in Liberation Serif (Times New Roman's metrics, full Vietnamese; SIL OFL 1.1, shipped in
 * admin/report/fonts/ with its licence, so the PDF looks the same on every server). pdfkit embeds only the glyphs used.
 * Tables are drawn here (rows never split; the header row repeats on each new page).
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Block, ReportDocument, TableBlock } from './form.ts';

const FONT_DIR = new URL('./fonts/', import.meta.url);
type Face = 'regular' | 'bold' | 'italic';
let fonts: Record<Face, Buffer> | null = null;
/** Read once per process (≈ 1.1 MB); pdfkit parses them per document. */
function fontFiles(): Record<Face, Buffer> {
  fonts ??= {
    regular: readFileSync(new URL('LiberationSerif-Regular.ttf', FONT_DIR)),
    bold: readFileSync(new URL('LiberationSerif-Bold.ttf', FONT_DIR)),
    italic: readFileSync(new URL('LiberationSerif-Italic.ttf', FONT_DIR)),
  };
  return fonts;
}

const MM = 72 / 25.4;
const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
const BODY = 14;
const HEAD = 13;
const TABLE = 11;
const PAD = 3;

type Doc = PDFKit.PDFDocument;

function face(doc: Doc, f: Face, size: number): Doc {
  return doc.font(f).fontSize(size);
}

function contentWidth(doc: Doc): number {
  return doc.page.width - MARGINS.left - MARGINS.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - MARGINS.bottom;
}

/** Centred lines in a column; returns the y under the last one. */
function centred(doc: Doc, lines: Array<[string, Face, number]>, x: number, y: number, width: number): number {
  let yy = y;
  for (const [text, f, size] of lines) {
    face(doc, f, size).text(text, x, yy, { width, align: 'center' });
    yy = doc.y;
  }
  return yy;
}

function rule(doc: Doc, xCentre: number, y: number, width: number): void {
  doc
    .moveTo(xCentre - width / 2, y)
    .lineTo(xCentre + width / 2, y)
    .lineWidth(0.6)
    .stroke();
}

function header(doc: Doc, d: ReportDocument): void {
  const x0 = MARGINS.left;
  const leftW = 65 * MM;
  const rightW = contentWidth(doc) - leftW;
  const top = MARGINS.top;
  let yl = centred(
    doc,
    [
      [d.parentBody, 'regular', HEAD],
      [d.issuingBody, 'bold', HEAD],
    ],
    x0,
    top,
    leftW,
  );
  rule(doc, x0 + leftW / 2, yl + 3, 22 * MM);
  yl = centred(doc, [[d.number, 'regular', BODY]], x0, yl + 8, leftW);
  let yr = centred(
    doc,
    [
      [d.nation, 'bold', HEAD],
      [d.motto, 'bold', BODY],
    ],
    x0 + leftW,
    top,
    rightW,
  );
  rule(doc, x0 + leftW + rightW / 2, yr + 3, face(doc, 'bold', BODY).widthOfString(d.motto));
  yr = centred(doc, [[d.placeDate, 'italic', BODY]], x0 + leftW, yr + 8, rightW);
  let y = Math.max(yl, yr) + 18;
  y = centred(
    doc,
    [
      [d.title, 'bold', BODY],
      [d.subject, 'bold', BODY],
    ],
    x0 + 10 * MM,
    y,
    contentWidth(doc) - 20 * MM,
  );
  rule(doc, x0 + contentWidth(doc) / 2, y + 8, 40 * MM);
  y = centred(doc, [[d.remark, 'italic', BODY]], x0, y + 16, contentWidth(doc));
  doc.x = x0;
  doc.y = y + 12;
}

/** A new page like the current one (pdfkit's own addPage() would fall back to the first page's orientation). */
function newPage(doc: Doc): void {
  doc.addPage({ size: 'A4', layout: doc.page.layout === 'landscape' ? 'landscape' : 'portrait', margins: MARGINS });
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) newPage(doc);
}

function blocks(doc: Doc, list: Block[]): void {
  for (const b of list) {
    const width = contentWidth(doc);
    if (b.kind === 'table') {
      table(doc, b);
      continue;
    }
    const f: Face = b.kind === 'heading' ? 'bold' : b.kind === 'paragraph' && b.italic ? 'italic' : 'regular';
    const text = b.kind === 'heading' ? b.text : b.runs.map((r) => r.text).join('');
    face(doc, f, BODY);
    const options = { width, align: 'justify' as const, indent: 12.7 * MM, lineGap: 2, paragraphGap: 6 };
    // a heading keeps the first lines of its paragraph with it; a paragraph starts with at least two lines
    const h = doc.heightOfString(text, options);
    ensureSpace(doc, b.kind === 'heading' ? h + 50 : Math.min(h, 40));
    doc.text(text, MARGINS.left, doc.y, options);
  }
}

function table(doc: Doc, t: TableBlock): void {
  const total = contentWidth(doc);
  const sum = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => (w / sum) * total);
  const xs = widths.map((_, i) => MARGINS.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const heightOf = (text: string, width: number, f: Face) =>
    face(doc, f, TABLE).heightOfString(text || ' ', { width: width - 2 * PAD }) + 2 * PAD;

  const drawRow = (cells: string[], f: Face, head: boolean) => {
    const h = Math.max(...cells.map((c, i) => heightOf(c, widths[i]!, f)));
    const y = doc.y;
    cells.forEach((c, i) => {
      doc.lineWidth(0.5).rect(xs[i]!, y, widths[i]!, h).stroke();
      face(doc, f, TABLE).text(c, xs[i]! + PAD, y + PAD, {
        width: widths[i]! - 2 * PAD,
        align: head ? 'center' : t.numeric[i] ? 'right' : 'left',
      });
    });
    doc.y = y + h;
  };
  const headHeight = Math.max(...t.head.map((c, i) => heightOf(c, widths[i]!, 'bold')));
  const drawHead = () => drawRow(t.head, 'bold', true);

  ensureSpace(doc, headHeight + 2 * TABLE + 4 * PAD);
  drawHead();
  for (const r of t.rows) {
    const h =
      'group' in r
        ? heightOf(r.group, total, 'bold')
        : Math.max(...r.cells.map((c, i) => heightOf(c, widths[i]!, r.bold ? 'bold' : 'regular')));
    if (doc.y + h > bottom(doc)) {
      newPage(doc);
      drawHead();
    }
    if ('group' in r) {
      const y = doc.y;
      doc.lineWidth(0.5).rect(MARGINS.left, y, total, h).stroke();
      face(doc, 'bold', TABLE).text(r.group, MARGINS.left + PAD, y + PAD, { width: total - 2 * PAD });
      doc.y = y + h;
    } else drawRow(r.cells, r.bold ? 'bold' : 'regular', false);
  }
  doc.x = MARGINS.left;
  doc.y += 8;
}

function signature(doc: Doc, d: ReportDocument): void {
  const width = contentWidth(doc);
  const half = width / 2;
  face(doc, 'regular', 11);
  const needed = 18 + d.recipients.length * 14 + 20;
  ensureSpace(doc, Math.max(needed, 110));
  const y = doc.y + 14;
  face(doc, 'bold', 12).text('Nơi nhận:', MARGINS.left, y, { width: half });
  face(doc, 'italic', 12);
  let yy = doc.y;
  for (const r of d.recipients) {
    face(doc, 'regular', 11).text(r, MARGINS.left, yy, { width: half });
    yy = doc.y;
  }
  centred(doc, [[d.signerTitle, 'bold', BODY]], MARGINS.left + half, y, half);
  if (d.signerName) centred(doc, [[d.signerName, 'bold', BODY]], MARGINS.left + half, y + 80, half);
  doc.x = MARGINS.left;
  doc.y = Math.max(yy, y + 100);
}

function pageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    face(doc, 'regular', BODY).text(String(i + 1), 0, 10 * MM, {
      width: doc.page.width,
      align: 'center',
      lineBreak: false,
    });
  }
}

export function renderPdf(d: ReportDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    info: { Title: d.metaTitle, Author: d.issuingBody, Creator: 'Theo dõi nhiệm vụ UBND tỉnh giao' },
    lang: 'vi-VN',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const f = fontFiles();
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.registerFont('italic', f.italic);

  header(doc, d);
  blocks(doc, d.body);
  face(doc, 'regular', BODY);
  doc.text(d.closing, MARGINS.left, doc.y, {
    width: contentWidth(doc),
    align: 'justify',
    indent: 12.7 * MM,
    lineGap: 2,
  });
  signature(doc, d);
  for (const a of d.appendices) {
    doc.addPage({ size: 'A4', layout: 'landscape', margins: MARGINS });
    const w = contentWidth(doc);
    centred(
      doc,
      [
        [a.label, 'bold', BODY],
        [a.title, 'bold', BODY],
        [a.subtitle, 'italic', BODY],
      ],
      MARGINS.left,
      MARGINS.top,
      w,
    );
    doc.x = MARGINS.left;
    doc.y += 10;
    blocks(doc, a.blocks);
  }
  pageNumbers(doc);
  doc.end();
  return done;
}
