/**
 * What a file IS, from its bytes (magic numbers and container structure), never from its name or the browser's
 * MIME type (DESIGN.md §7: "uploads checked by content"). Pure functions, no I/O.
 *
 * - PDF: "%PDF-" at offset 0 (we do not accept the 1 KB leeway some readers allow: it is how polyglots hide);
 * - OLE2 compound files (legacy .doc/.xls): the D0CF11E0 signature, a consistent header, FAT and directory, and a
 *   stream entry named "WordDocument" or "Workbook"/"Book" under the root storage; other OLE2 files (.ppt, .msg,
 *   installers, a file that merely contains the text "WordDocument") are refused;
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

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// Compound File Binary format ([MS-CFB]): special sector numbers and directory object types
const MAX_REGSECT = 0xfffffffa;
const NOSTREAM = 0xffffffff;
const OBJ_STREAM = 2;
const OBJ_ROOT = 5;

/**
 * Names of the streams directly under the root storage of an OLE2 compound file, or null when the header, the FAT
 * or the directory chain is inconsistent. Follows [MS-CFB]: the header's DIFAT (and DIFAT sectors) give the FAT
 * sectors, the FAT gives the directory's sector chain, the directory is an array of 128-byte entries (name in
 * UTF-16LE with its byte length, object type, left/right sibling and child ids) whose root's children form a tree.
 * Every loop is bounded by the file's size, so damaged or hostile files cannot make it spin.
 */
export function ole2RootStreams(b: Uint8Array): string[] | null {
  if (b.length < 512 || !startsWith(b, OLE2)) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const major = view.getUint16(0x1a, true);
  const shift = view.getUint16(0x1e, true);
  if (view.getUint16(0x1c, true) !== 0xfffe) return null; // byte order mark
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12))) return null;
  const sectorSize = 1 << shift;
  const sectorCount = Math.floor((b.length - sectorSize) / sectorSize); // header occupies the first sector slot
  const sectorOffset = (n: number): number | null =>
    n <= MAX_REGSECT && n < sectorCount ? (n + 1) * sectorSize : null;
  const perSector = sectorSize / 4;

  // FAT sector numbers: 109 in the header, then the DIFAT chain (last slot of each DIFAT sector = next one)
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const n = view.getUint32(0x4c + i * 4, true);
    if (n <= MAX_REGSECT) fatSectors.push(n);
  }
  let difat = view.getUint32(0x44, true);
  for (let hops = 0; difat <= MAX_REGSECT && hops <= sectorCount; hops++) {
    const at = sectorOffset(difat);
    if (at === null) return null;
    for (let i = 0; i < perSector - 1; i++) {
      const n = view.getUint32(at + i * 4, true);
      if (n <= MAX_REGSECT) fatSectors.push(n);
    }
    difat = view.getUint32(at + (perSector - 1) * 4, true);
  }
  const next = (n: number): number | null => {
    const fat = fatSectors[Math.floor(n / perSector)];
    const at = fat === undefined ? null : sectorOffset(fat);
    return at === null ? null : view.getUint32(at + (n % perSector) * 4, true);
  };

  // the directory: a chain of sectors of 128-byte entries
  const entries: number[] = [];
  let dir = view.getUint32(0x30, true);
  for (let hops = 0; dir <= MAX_REGSECT; hops++) {
    const at = sectorOffset(dir);
    if (at === null || hops > sectorCount) return null;
    for (let i = 0; i < sectorSize / 128; i++) entries.push(at + i * 128);
    const n = next(dir);
    if (n === null) return null;
    dir = n;
  }
  const root = entries[0];
  if (root === undefined || b[root + 0x42] !== OBJ_ROOT) return null;

  const nameOf = (at: number): string | null => {
    const len = view.getUint16(at + 0x40, true); // bytes, with the terminating NUL
    if (len < 2 || len > 64 || len % 2 !== 0) return null;
    let name = '';
    for (let i = 0; i < len / 2 - 1; i++) name += String.fromCharCode(view.getUint16(at + i * 2, true));
    return name;
  };
  // the root's children: a (red-black) tree through the left and right sibling ids
  const streams: string[] = [];
  const seen = new Set<number>();
  const stack = [view.getUint32(root + 0x4c, true)];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === NOSTREAM) continue;
    const at = entries[id];
    if (at === undefined || seen.has(id)) return null;
    seen.add(id);
    const name = nameOf(at);
    if (b[at + 0x42] === OBJ_STREAM && name !== null) streams.push(name);
    stack.push(view.getUint32(at + 0x44, true), view.getUint32(at + 0x48, true));
  }
  return streams;
}

function detectOle2(b: Uint8Array): FileKind | null {
  // a Word file has a "WordDocument" stream under the root, an Excel file "Workbook" (BIFF8) or "Book" (BIFF5);
  // names are matched exactly as stored. Anything else (.ppt, .msg, installers, or a name only in the data) is refused.
  const streams = ole2RootStreams(b);
  if (streams === null) return null;
  if (streams.includes('WordDocument')) return 'doc';
  if (streams.includes('Workbook') || streams.includes('Book')) return 'xls';
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
