/**
 * GET /admin/files/:id — a stored upload, only to those allowed (admin/files/access.ts), always as a download:
 * Content-Disposition attachment with an ASCII fallback and the original Vietnamese name (RFC 6266/5987), the MIME
 * type recorded from the content check (never the browser's), nosniff and no-store (the app-wide CSP applies too).
 */
import { Hono } from 'hono';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { AppDeps, AppEnv } from '../context.ts';
import { denyAccess, requirePermission } from '../auth/permissions.ts';
import { DomainError } from '../domain/rules.ts';
import { fileAccess } from '../files/access.ts';
import { getFile, storedPath } from '../files/store.ts';
import { attachmentDisposition } from '../files/disposition.ts';

export function filesRoutes(deps: AppDeps) {
  const { db, env } = deps;
  const app = new Hono<AppEnv>();
  app.get('/files/:id{[0-9]+}', requirePermission('file.read'), (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id)) throw new DomainError('file_not_found', 'Không tìm thấy tệp.', 404);
    const access = fileAccess(db, c.get('principal')!, id);
    if (access === 'not_found') throw new DomainError('file_not_found', 'Không tìm thấy tệp.', 404);
    if (access === 'denied') denyAccess(c, 'file.read', { type: 'file', id });
    const file = getFile(db, id)!;
    const path = storedPath(env, file.storage_name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      deps.log.error('stored file missing', { fileId: id });
      throw new DomainError('file_missing', 'Tệp không còn trên máy chủ; vui lòng liên hệ quản trị viên.', 404);
    }
    const stream = Readable.toWeb(createReadStream(path)) as ReadableStream;
    return c.body(stream, 200, {
      'Content-Type': file.mime,
      'Content-Length': String(size),
      'Content-Disposition': attachmentDisposition(file.original_name),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
