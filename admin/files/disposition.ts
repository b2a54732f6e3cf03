/**
 * THE Content-Disposition of every download (stored files, exports, the API): the `content-disposition` package
 * (jshttp, as Express uses) writes RFC 6266 with the exact UTF-8 name in filename* (RFC 8187), and an ASCII
 * stand-in in filename for old clients: the Vietnamese letters without their marks, anything else as '_'.
 */
import { create } from 'content-disposition';
import { stripVietnameseMarks } from '../domain/text.ts';

/** An ASCII-only stand-in for the name (old clients), Vietnamese letters without their marks. */
export function asciiFileName(name: string): string {
  const s = stripVietnameseMarks(name)
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .replace(/_+/g, '_')
    .trim();
  return s.length > 0 ? s : 'tep-dinh-kem';
}

/** attachment; filename=<ASCII stand-in>; filename*=UTF-8''<the exact name> (the latter only when they differ). */
export function attachmentDisposition(name: string): string {
  return create(name, { fallback: asciiFileName(name) });
}
