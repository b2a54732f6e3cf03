import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse as parseDisposition } from 'content-disposition';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openDatabase } from '../db/open.ts';
import { detectFileKind, ole2RootStreams, zipEntryNames } from './detect.ts';
import {
  acceptUpload,
  asciiFileName,
  contentDisposition,
  IMAGE_KINDS,
  MAX_NAME_LENGTH,
  PendingFiles,
  runWithUploads,
  sanitizeFileName,
  storeUpload,
  storedPath,
  sweepOrphanUploads,
  UploadError,
} from './store.ts';
import {
  sampleDocx,
  sampleExe,
  sampleHtml,
  sampleOle2,
  samplePdf,
  samplePng,
  samplePolyglot,
  sampleXlsx,
  sampleZip,
} from '../test/fixtures/files.ts';

const MB = 1024 * 1024;
const file = (bytes: Uint8Array<ArrayBuffer>, name: string, type = 'application/pdf') =>
  new File([bytes], name, { type });

describe('detectFileKind (by content)', () => {
  it('recognises every accepted kind from real bytes', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
    const webp = new Uint8Array([
      ...new TextEncoder().encode('RIFF'),
      0x24,
      0,
      0,
      0,
      ...new TextEncoder().encode('WEBPVP8 '),
    ]);
    const cases: Array<[Uint8Array, string]> = [
      [samplePdf(), 'pdf'],
      [samplePng(), 'png'],
      [jpeg, 'jpeg'],
      [gif, 'gif'],
      [webp, 'webp'],
      [sampleZip({ 'a.txt': 'xin chào' }), 'zip'],
      [sampleDocx(), 'docx'],
      [await sampleXlsx(), 'xlsx'],
      [sampleOle2('WordDocument'), 'doc'],
      [sampleOle2('Workbook'), 'xls'],
    ];
    for (const [bytes, kind] of cases) expect(detectFileKind(bytes), kind).toBe(kind);
  });

  it('refuses executables, HTML, polyglots, other OLE2 files and damaged archives', () => {
    const zip = sampleZip({ 'a.txt': 'x' });
    const truncatedZip = zip.slice(0, zip.length - 10);
    for (const bytes of [
      sampleExe(),
      sampleHtml(),
      samplePolyglot(),
      sampleOle2('PowerPoint Document'),
      truncatedZip,
      new Uint8Array([0x25, 0x50]),
    ]) {
      expect(detectFileKind(bytes)).toBeNull();
    }
  });

  it('OLE2: reads the directory, so a stream name that only appears in the data is not a Word file', () => {
    const text = Buffer.from('WordDocument\u0000Workbook\u0000Book\u0000', 'utf16le');
    // the directory has a PowerPoint stream; the data sector names "WordDocument" (accepted before: a byte search)
    expect(detectFileKind(sampleOle2('PowerPoint Document', { data: text }))).toBeNull();
    // no header at all, names at the directory's usual offsets (the old fixture's shape)
    const bare = Buffer.alloc(1536);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bare, 0);
    Buffer.from('Root Entry\u0000', 'utf16le').copy(bare, 1024);
    Buffer.from('WordDocument\u0000', 'utf16le').copy(bare, 1152);
    expect(detectFileKind(new Uint8Array(bare))).toBeNull();
    // a "WordDocument" entry that is a storage (type 1), not a stream
    const storage = sampleOle2('WordDocument');
    storage[1152 + 0x42] = 1;
    expect(detectFileKind(storage)).toBeNull();
    // real-shaped files with the usual companions are accepted, whatever the order in the directory
    const word = sampleOle2(null, { streams: ['1Table', 'WordDocument', '\u0005SummaryInformation'], data: text });
    expect(ole2RootStreams(word)).toEqual(['1Table', 'WordDocument', '\u0005SummaryInformation']);
    expect(detectFileKind(word)).toBe('doc');
    expect(detectFileKind(sampleOle2('Book'))).toBe('xls');
    expect(detectFileKind(sampleOle2(null, { streams: ['\u0005SummaryInformation', 'Workbook'] }))).toBe('xls');
  });

  it('OLE2: a directory whose sibling ids loop, or a chain past the end of the file, is refused, not followed', () => {
    const loop = sampleOle2(null, { streams: ['1Table', 'WordDocument'] });
    new DataView(loop.buffer).setUint32(1024 + 2 * 128 + 0x48, 1, true); // entry 2's right sibling → entry 1
    expect(detectFileKind(loop)).toBeNull();
    const past = sampleOle2('WordDocument');
    new DataView(past.buffer).setUint32(0x30, 999, true); // first directory sector beyond the file
    expect(detectFileKind(past)).toBeNull();
    const cycle = sampleOle2('WordDocument');
    new DataView(cycle.buffer).setUint32(512 + 4, 1, true); // the directory sector chains to itself
    expect(detectFileKind(cycle)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1535 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const b = sampleOle2('WordDocument');
        b[at] = value;
        const k = detectFileKind(b);
        expect(k === null || k === 'doc').toBe(true);
      }),
    );
  });

  it('lists ZIP entries from the central directory, with UTF-8 names', () => {
    expect(zipEntryNames(sampleZip({ 'báo cáo.txt': 'x', 'thư mục/b.txt': 'y' }))).toEqual([
      'báo cáo.txt',
      'thư mục/b.txt',
    ]);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom([], [0x50, 0x4b, 0x03, 0x04], [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        (tail, head) => {
          const b = new Uint8Array([...head, ...tail]);
          const k = detectFileKind(b);
          expect(k === null || typeof k === 'string').toBe(true);
        },
      ),
    );
  });
});

describe('acceptUpload', () => {
  it('accepts a real PDF named anything, records the detected MIME and the SHA-256', async () => {
    const bytes = samplePdf();
    const up = await acceptUpload(file(bytes, 'Báo cáo kết quả tháng 3.pdf', 'text/html'), { maxBytes: 20 * MB });
    expect(up.kind).toBe('pdf');
    expect(up.mime).toBe('application/pdf');
    expect(up.originalName).toBe('Báo cáo kết quả tháng 3.pdf');
    expect(up.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuses an EXE or an HTML page renamed .pdf, an empty file, an oversized one, a non-file, a kind not allowed', async () => {
    const refuse = async (f: unknown, opts: Parameters<typeof acceptUpload>[1], code: UploadError['code']) => {
      const err = await acceptUpload(f, opts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UploadError);
      expect((err as UploadError).code).toBe(code);
      expect((err as UploadError).message).toMatch(/[\u00C0-\u1EF9]/); // Vietnamese, with diacritics
    };
    await refuse(file(sampleExe(), 'bao-cao.pdf'), { maxBytes: MB }, 'bad_type');
    await refuse(file(sampleHtml(), 'bao-cao.pdf'), { maxBytes: MB }, 'bad_type');
    await refuse(file(samplePolyglot(), 'bao-cao.pdf'), { maxBytes: MB }, 'bad_type');
    await refuse(file(new Uint8Array(), 'rong.pdf'), { maxBytes: MB }, 'empty');
    await refuse(file(new Uint8Array(MB + 1).fill(0x25), 'lon.pdf'), { maxBytes: MB }, 'too_large');
    await refuse('không phải tệp', { maxBytes: MB }, 'not_a_file');
    await refuse(file(samplePdf(), 'logo.pdf'), { maxBytes: MB, kinds: IMAGE_KINDS }, 'bad_type');
  });
});

describe('file names', () => {
  it('keeps Vietnamese names, strips paths, controls and bidi tricks, adds the real extension', () => {
    expect(sanitizeFileName('C:\\Users\\a\\Quyết định số 12.pdf', 'pdf')).toBe('Quyết định số 12.pdf');
    expect(sanitizeFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(sanitizeFileName('ảnh\u202Egnp.exe', 'png')).toBe('ảnhgnp.exe.png');
    expect(sanitizeFileName('a\u0000b\nc.pdf', 'pdf')).toBe('abc.pdf');
    expect(sanitizeFileName('', 'zip')).toBe('tep-dinh-kem.zip');
    expect(sanitizeFileName('"><script>.jpeg', 'jpeg')).toBe('script.jpeg');
    // decomposed input is stored composed (NFC)
    expect(sanitizeFileName('Ba\u0301o ca\u0301o.pdf', 'pdf')).toBe('Báo cáo.pdf');
  });

  it('property: any name becomes a bounded, separator-free, control-free name with the right extension', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.constantFrom('pdf', 'docx', 'png', 'zip') as fc.Arbitrary<'pdf' | 'docx' | 'png' | 'zip'>,
        (name, kind) => {
          const s = sanitizeFileName(name, kind);
          expect([...s].length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
          expect(s).not.toMatch(/[\\/\p{Cc}\p{Cf}"]/u);
          expect(s.toLowerCase().endsWith(`.${kind}`)).toBe(true);
          expect(s.length).toBeGreaterThan(kind.length + 1);
          const cd = contentDisposition(s);
          // the content-disposition package writes it (files/disposition.ts): it must parse back to the exact name
          expect(cd).not.toMatch(/[\r\n]/);
          expect(parseDisposition(cd).parameters.filename).toBe(s);
        },
      ),
    );
  });

  it('Content-Disposition has an ASCII fallback and the exact UTF-8 name', () => {
    expect(asciiFileName('Báo cáo Đoàn kiểm tra.pdf')).toBe('Bao cao Doan kiem tra.pdf');
    expect(contentDisposition('Báo cáo.pdf')).toBe(
      `attachment; filename="Bao cao.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf`,
    );
  });
});

describe('storeUpload', () => {
  const setup = () => {
    const db = openDatabase(':memory:');
    const env = { uploadDir: mkdtempSync(join(tmpdir(), 'store-test-')) };
    return { db, env, deps: { db, env } };
  };

  it('writes the bytes under a random name with a row, and nothing else (no temp files)', async () => {
    const { db, env, deps } = setup();
    const up = await acceptUpload(file(samplePdf(), 'Công văn 1147.pdf'), { maxBytes: MB });
    const id = runWithUploads(db, (pending) => storeUpload(deps, up, { actorUserId: null, pending }));
    const row = db.prepare('SELECT * FROM files WHERE id = ?').get(id) as {
      storage_name: string;
      original_name: string;
      sha256: string;
      size: number;
      mime: string;
    };
    expect(row.storage_name).toMatch(/^[0-9a-f]{32}$/);
    expect(row).toMatchObject({
      original_name: 'Công văn 1147.pdf',
      sha256: up.sha256,
      size: up.bytes.length,
      mime: 'application/pdf',
    });
    expect(readdirSync(env.uploadDir)).toEqual([row.storage_name]);
    expect(new Uint8Array(readFileSync(storedPath(env, row.storage_name)))).toEqual(up.bytes);
  });

  it('a transaction that fails after storing leaves no row and no file', async () => {
    const { db, env, deps } = setup();
    const up = await acceptUpload(file(samplePng(), 'a.png', 'image/png'), { maxBytes: MB });
    expect(() =>
      runWithUploads(db, (pending) => {
        storeUpload(deps, up, { actorUserId: null, pending });
        storeUpload(deps, up, { actorUserId: null, pending });
        throw new Error('later validation failed');
      }),
    ).toThrow('later validation failed');
    expect(db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(0);
    expect(readdirSync(env.uploadDir)).toEqual([]);
  });

  it('refuses to run outside a transaction', async () => {
    const { deps } = setup();
    const up = await acceptUpload(file(samplePdf(), 'a.pdf'), { maxBytes: MB });
    expect(() => storeUpload(deps, up, { actorUserId: null, pending: new PendingFiles() })).toThrow(/transaction/);
  });

  it('sweepOrphanUploads removes old files without a row and keeps the others', async () => {
    const { db, env, deps } = setup();
    const up = await acceptUpload(file(samplePdf(), 'a.pdf'), { maxBytes: MB });
    runWithUploads(db, (pending) => storeUpload(deps, up, { actorUserId: null, pending }));
    const pending = new PendingFiles();
    // simulate a crash after rename: the file exists, the row was never committed
    db.exec('SAVEPOINT s');
    storeUpload(deps, up, { actorUserId: null, pending });
    db.exec('ROLLBACK TO s; RELEASE s');
    expect(readdirSync(env.uploadDir)).toHaveLength(2);
    expect(sweepOrphanUploads(deps, Date.now())).toBe(0); // too recent: maybe a transaction in progress
    expect(sweepOrphanUploads(deps, Date.now() + 2 * 3600_000)).toBe(1);
    expect(readdirSync(env.uploadDir)).toHaveLength(1);
  });
});
