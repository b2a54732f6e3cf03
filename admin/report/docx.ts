/**
 * ReportDocument ──▶ DOCX (the `docx` package: the format offices edit, number and sign). A4, Nghị định 30/2020/NĐ-CP
 * Phụ lục I: margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 pt body; the header as a
 * borderless two-column table (issuing body left, Quốc hiệu và Tiêu ngữ right, each with its rule); the page number
 * centred in the top margin from page 2. Appendices follow in a landscape section (wide tables), each on a new page.
 */
import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ISectionOptions,
} from 'docx';
import type { Block, ReportDocument, Run, TableBlock } from './form.ts';

const FONT = 'Times New Roman';
const mm = convertMillimetersToTwip;
const A4 = { width: mm(210), height: mm(297) };
const MARGIN = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15), header: mm(10), footer: mm(10) };
const PORTRAIT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const LANDSCAPE_WIDTH = A4.height - MARGIN.left - MARGIN.right;
/** half-points */
const BODY = 28;
const HEAD = 26;
const TABLE = 22;

const run = (r: Run, size = BODY, extra: { italic?: boolean } = {}) =>
  new TextRun({ text: r.text, bold: r.bold, italics: r.italic ?? extra.italic, size, font: FONT });

const line = (text: string, o: { bold?: boolean; italic?: boolean; size?: number; after?: number } = {}) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { after: o.after ?? 0 },
    children: [new TextRun({ text, bold: o.bold, italics: o.italic, size: o.size ?? HEAD, font: FONT })],
  });

/** A short centred rule: an empty paragraph whose top border spans `width` twips of a cell `cellWidth` wide. */
const rule = (cellWidth: number, width: number) =>
  new Paragraph({
    spacing: { before: 0, after: 120 },
    indent: { left: Math.round((cellWidth - width) / 2), right: Math.round((cellWidth - width) / 2) },
    border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [],
  });

const cell = (width: number, children: Paragraph[]) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    borders: TableBorders.NONE,
    margins: { left: 0, right: 0 },
    children,
  });

function headerTable(d: ReportDocument): Table {
  const left = mm(65);
  const right = PORTRAIT_WIDTH - left;
  return new Table({
    width: { size: PORTRAIT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          cell(left, [
            line(d.parentBody),
            line(d.issuingBody, { bold: true }),
            rule(left, mm(22)),
            line(d.number, { size: BODY }),
          ]),
          cell(right, [
            line(d.nation, { bold: true }),
            line(d.motto, { bold: true, size: BODY }),
            rule(right, mm(60)),
            line(d.placeDate, { italic: true, size: BODY }),
          ]),
        ],
      }),
    ],
  });
}

function paragraph(b: Extract<Block, { kind: 'paragraph' }>): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: mm(12.7) },
    spacing: { before: 0, after: 120, line: 300 },
    children: b.runs.map((r) => run(r, BODY, { italic: b.italic })),
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: mm(12.7) },
    spacing: { before: 120, after: 120, line: 300 },
    keepNext: true,
    children: [new TextRun({ text, bold: true, size: BODY, font: FONT })],
  });
}

function table(t: TableBlock, totalWidth: number): Table {
  const sum = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => Math.floor((w / sum) * totalWidth));
  const cellOf = (text: string, i: number, o: { bold?: boolean; head?: boolean; span?: number } = {}) =>
    new TableCell({
      width: { size: o.span ? totalWidth : widths[i]!, type: WidthType.DXA },
      columnSpan: o.span,
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      children: [
        new Paragraph({
          alignment: o.head ? AlignmentType.CENTER : !o.span && t.numeric[i] ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ text, bold: o.bold || o.head, size: TABLE, font: FONT })],
        }),
      ],
    });
  return new Table({
    width: { size: totalWidth, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: t.head.map((h, i) => cellOf(h, i, { head: true })),
      }),
      ...t.rows.map((r) =>
        'group' in r
          ? new TableRow({ cantSplit: true, children: [cellOf(r.group, 0, { bold: true, span: t.head.length })] })
          : new TableRow({ cantSplit: true, children: r.cells.map((c, i) => cellOf(c, i, { bold: r.bold })) }),
      ),
    ],
  });
}

function blocks(list: Block[], width: number): Array<Paragraph | Table> {
  return list.map((b) =>
    b.kind === 'heading' ? heading(b.text) : b.kind === 'paragraph' ? paragraph(b) : table(b, width),
  );
}

/** ND 30: the page number centred in the top margin, not on the first page. */
const pageNumberHeader = () =>
  new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], size: BODY, font: FONT })],
      }),
    ],
  });

function signatureTable(d: ReportDocument): Table {
  const left = Math.round(PORTRAIT_WIDTH * 0.5);
  const right = PORTRAIT_WIDTH - left;
  const recipients = [
    new Paragraph({
      children: [new TextRun({ text: 'Nơi nhận:', bold: true, italics: true, size: 24, font: FONT })],
    }),
    ...d.recipients.map((r) => new Paragraph({ children: [new TextRun({ text: r, size: 22, font: FONT })] })),
  ];
  const signer = [
    line(d.signerTitle, { bold: true, size: BODY }),
    line('', { size: BODY }),
    line('', { size: BODY }),
    line('', { size: BODY }),
    line(d.signerName, { bold: true, size: BODY }),
  ];
  return new Table({
    width: { size: PORTRAIT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [new TableRow({ cantSplit: true, children: [cell(left, recipients), cell(right, signer)] })],
  });
}

export async function renderDocx(d: ReportDocument): Promise<Buffer> {
  const main: ISectionOptions = {
    properties: {
      page: { size: { ...A4, orientation: PageOrientation.PORTRAIT }, margin: MARGIN },
      titlePage: true,
    },
    headers: { default: pageNumberHeader(), first: new Header({ children: [] }) },
    children: [
      headerTable(d),
      new Paragraph({ spacing: { before: 240 }, children: [] }),
      line(d.title, { bold: true, size: BODY }),
      line(d.subject, { bold: true, size: BODY }),
      rule(PORTRAIT_WIDTH, mm(40)),
      line(d.remark, { italic: true, size: BODY, after: 240 }),
      ...blocks(d.body, PORTRAIT_WIDTH),
      paragraph({ kind: 'paragraph', runs: [{ text: d.closing }] }),
      new Paragraph({ spacing: { before: 120 }, children: [] }),
      signatureTable(d),
    ],
  };
  const appendices: ISectionOptions[] = d.appendices.map((a) => ({
    properties: { page: { size: { ...A4, orientation: PageOrientation.LANDSCAPE }, margin: MARGIN } },
    headers: { default: pageNumberHeader() },
    children: [
      line(a.label, { bold: true, size: BODY }),
      line(a.title, { bold: true, size: BODY }),
      line(a.subtitle, { italic: true, size: BODY, after: 240 }),
      ...blocks(a.blocks, LANDSCAPE_WIDTH),
    ],
  }));
  const doc = new Document({
    title: d.metaTitle,
    creator: d.issuingBody,
    styles: { default: { document: { run: { font: FONT, size: BODY } } } },
    sections: [main, ...appendices],
  });
  return Packer.toBuffer(doc);
}
