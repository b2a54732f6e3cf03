/** Admin stylesheet (and any later static asset) under /admin/static/, loaded into memory once at start. */
import { Hono } from 'hono';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { AppDeps, AppEnv } from '../context.ts';
import { publicRoute } from '../auth/permissions.ts';

const STATIC_DIR = fileURLToPath(new URL('../static/', import.meta.url));
const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
};

export function staticRoutes(_deps: AppDeps) {
  const files = new Map<string, { body: Buffer; type: string; etag: string }>();
  for (const name of readdirSync(STATIC_DIR)) {
    const ext = name.split('.').pop() ?? '';
    const type = TYPES[ext];
    if (!type) continue;
    const body = readFileSync(join(STATIC_DIR, name));
    files.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"` });
  }
  const app = new Hono<AppEnv>();
  app.get('/static/:file', publicRoute('admin static assets'), (c) => {
    const f = files.get(c.req.param('file'));
    if (!f) return c.notFound();
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('ETag', f.etag);
    if (c.req.header('if-none-match') === f.etag) return c.body(null, 304);
    return c.body(new Uint8Array(f.body), 200, { 'Content-Type': f.type });
  });
  return app;
}
