/**
 * GET /api/v1/files/:id — an attachment listed in a task's events (GET /tasks/:code) or a document, to the clients
 * allowed by the same rule as the admin panel's downloads (admin/files/access.ts): an agency client only the files of
 * tasks its agency leads or coordinates. Always a download with the original Vietnamese name.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { denyAccess } from '../auth/permissions.ts';
import { fileAccess } from '../files/access.ts';
import { getFile, storedPath } from '../files/store.ts';
import { attachmentDisposition } from '../files/disposition.ts';
import { apiApp, defineOperation, mount } from './operation.ts';
import { notFound } from './errors.ts';

export const getFileOp = defineOperation({
  id: 'getFile',
  method: 'get',
  path: '/files/:id',
  tag: 'files',
  summary: 'Tải một tệp đính kèm',
  description:
    'Mã tệp lấy từ `files` của sự kiện nhiệm vụ. Đơn vị chỉ tải được tệp của nhiệm vụ mình chủ trì hoặc phối hợp.',
  action: 'file.read',
  params: z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  response: z.unknown(),
  raw: {
    contentType: 'application/octet-stream',
    description: 'Nội dung tệp (Content-Type theo loại tệp đã kiểm tra, Content-Disposition: attachment)',
  },
  errors: [400, 404],
});

export const FILE_OPERATIONS = [getFileOp];

export function filesApi(deps: AppDeps) {
  const { db, env } = deps;
  const app = apiApp();
  mount(app, getFileOp, (c, { params }) => {
    const access = fileAccess(db, c.get('principal')!, params.id);
    if (access === 'not_found') throw notFound('Không tìm thấy tệp.');
    if (access === 'denied') denyAccess(c, 'file.read', { type: 'file', id: params.id });
    const file = getFile(db, params.id)!;
    const path = storedPath(env, file.storage_name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      deps.log.error('stored file missing', { fileId: params.id });
      throw notFound('Tệp không còn trên máy chủ; vui lòng liên hệ quản trị viên.');
    }
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, {
      'Content-Type': file.mime,
      'Content-Length': String(size),
      'Content-Disposition': attachmentDisposition(file.original_name),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
