/**
 * What a file IS, from its bytes (magic numbers and container structure), never from its name or the browser's
 * MIME type (DESIGN.md §7: "uploads checked by content"). Pure functions, no I/O.
 *
 * - PDF: "%PDF-" at offset 0 (we do not accept the 1 KB leeway some readers allow: it is how polyglots hide);
 * - OLE2 compound files (legacy .doc/.xls): the D0CF11E0 signature plus a "WordDocument" or "Workbook"/"Book"
 *   stream name in the directory (UTF-16LE); other OLE2 files (.ppt, .msg, installers) are refused;
 * - ZIP: a parsable end-of-central-directory record and central directory; .docx when an entry lies under word/,
 *   .xlsx under xl/ (both with [Content_Types].xml), otherwise a plain ZIP (never extracted by us);
 * - images: PNG, JPEG, GIF87a/89a, WebP (RIFF….WEBP).
 */

export const FILE_KINDS = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'png', 'jpeg', 'gif', 'webp', 'zip'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface KindInfo {
  mime: string;
  /** accepted name extensions, the first is added when the original name has none of them */
  extensions: string[];
  label: string;
}

export const KIND_INFO: Record<FileKind, KindInfo> = {
  pdf: { mime: 'application/pdf', extensions: ['.pdf'], label: 'PDF' },
  doc: { mime: 'application/msword', extensions: ['.doc'], label: 'Word (.doc)' },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['.docx'],
    label: 'Word (.docx)',
  },
  xls: { mime: 'application/vnd.ms-excel', extensions: ['.xls'], label: 'Excel (.xls)' },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['.xlsx'],
    label: 'Excel (.xlsx)',
  },
  png: { mime: 'image/png', extensions: ['.png'], label: 'PNG' },
  jpeg: { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], label: 'JPEG' },
  gif: { mime: 'image/gif', extensions: ['.gif'], label: 'GIF' },
  webp: { mime: 'image/webp', extensions: ['.webp'], label: 'WebP' },
  zip: { mime: 'application/zip', extensions: ['.zip'], label: 'ZIP' },
};

export const IMAGE_KINDS: FileKind[] = ['png', 'jpeg', 'gif', 'webp'];
/** attachments of documents and task events */
export const DOCUMENT_KINDS: FileKind[] = [...FILE_KINDS];

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function ascii(s: string): number[] {
  return [...s].map((ch) => ch.charCodeAt(0));
}

function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) out[i * 2] = s.charCodeAt(i);
  return out;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const n = needle.length;
  if (n === 0) return from;
  const first = needle[0]!;
  outer: for (let i = from; i <= hay.length - n; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function detectOle2(b: Uint8Array): FileKind | null {
  // the directory holds stream names in UTF-16LE; a Word file has "WordDocument", an Excel file "Workbook" (BIFF8)
  // or "Book" (BIFF5). Names are matched case-sensitively, followed by a UTF-16 NUL, as stored.
  const word = indexOfBytes(b, utf16le('WordDocument\u0000'));
  if (word >= 0) return 'doc';
  if (indexOfBytes(b, utf16le('Workbook\u0000')) >= 0 || indexOfBytes(b, utf16le('Book\u0000')) >= 0) return 'xls';
  return null;
}

/** Entry names of a ZIP's central directory, or null when the archive is not well-formed. */
export function zipEntryNames(b: Uint8Array): string[] | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // end of central directory: 22 bytes + a comment of up to 65535 bytes, searched backwards
  const min = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= min; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  if (offset + size > eocd || count === 0xffff || offset === 0xffffffff) return null; // zip64 or inconsistent
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || view.getUint32(p, true) !== 0x02014b50) return null;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (p + 46 + nameLen > b.length) return null;
    names.push(decoder.decode(b.subarray(p + 46, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function detectZip(b: Uint8Array): FileKind | null {
  const names = zipEntryNames(b);
  if (names === null) return null;
  const ooxml = names.includes('[Content_Types].xml');
  if (ooxml && names.some((n) => n.startsWith('word/'))) return 'docx';
  if (ooxml && names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  return 'zip';
}

/** The kind of a file from its bytes, or null when it is none of the accepted kinds (or damaged). */
export function detectFileKind(b: Uint8Array): FileKind | null {
  if (startsWith(b, ascii('%PDF-'))) return 'pdf';
  if (startsWith(b, PNG)) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return 'gif';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(b, OLE2)) return detectOle2(b);
  // local file header, or the end record of an empty archive
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return detectZip(b);
  return null;
}
