/**
 * Test support: read back what the renderers wrote. A DOCX is a zip (JSZip, installed with exceljs; its types
 * resolve, fflate's do not under moduleResolution bundler): its word/document.xml gives the paragraphs' text and the
 * tables' cells. A PDF is checked by structure
 * (header, pages and their sizes, embedded fonts and their ToUnicode maps); its text is CID-encoded and compressed,
 * so its rendering is looked at as a PNG by hand (pdftoppm).
 */
import JSZip from 'jszip';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e]!);

function textOf(xml: string): string {
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1]!)).join('');
}

export interface DocxContent {
  /** every paragraph outside and inside tables, in order */
  paragraphs: string[];
  /** tables → rows → cells' text */
  tables: string[][][];
  xml: string;
}

export async function readDocx(bytes: Uint8Array): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(bytes);
  const doc = zip.file('word/document.xml');
  if (!doc) throw new Error('word/document.xml missing');
  const xml = await doc.async('string');
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => textOf(m[0]));
  // the report's tables are not nested: a non-greedy match finds each one
  const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((t) =>
    [...t[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) =>
      [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => textOf(c[0])),
    ),
  );
  return { paragraphs, tables, xml };
}

export interface PdfFacts {
  header: string;
  /** [width, height] of each page, in points */
  pages: Array<[number, number]>;
  fonts: string[];
  embeddedFontFiles: number;
  /** fonts with a ToUnicode map: their text can be extracted and searched (pdftotext, a reader's search) */
  toUnicodeMaps: number;
}

export function readPdfFacts(bytes: Uint8Array): PdfFacts {
  const s = Buffer.from(bytes).toString('latin1');
  const pages = [...s.matchAll(/\/Type \/Page\b[\s\S]*?\/MediaBox \[([\d. ]+)\]/g)].map((m) => {
    const [, , w, h] = m[1]!.trim().split(/\s+/).map(Number);
    return [w!, h!] as [number, number];
  });
  return {
    header: s.slice(0, 8),
    pages,
    fonts: [...new Set([...s.matchAll(/\/BaseFont \/([A-Z]{6}\+[\w-]+)/g)].map((m) => m[1]!.slice(7)))].sort(),
    embeddedFontFiles: (s.match(/\/FontFile2/g) ?? []).length,
    toUnicodeMaps: (s.match(/\/ToUnicode/g) ?? []).length,
  };
}
