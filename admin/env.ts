/**
 * Every setting of the server, parsed and validated once (CONVENTIONS.md habit 1). Production fails fast: it
 * refuses to start without an https ORIGIN (the one origin CSRF checks accept and the one that makes the session
 * cookie `__Host-` + Secure). Plain HTTP is allowed only outside production and only on a loopback host — the
 * documented demo/development mode, where the cookie is called `session` and has no Secure flag.
 */
import { z } from 'zod';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number({ error: 'phải là một số' }).int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('data/app.db'),
  /** the public origin of the admin, e.g. https://nhiemvu.tinh.gov.vn (no path) */
  ORIGIN: z.string().optional(),
  /**
   * the public site's origin, used by every absolute URL it publishes (canonical links, feeds, sitemap, robots.txt,
   * share images), e.g. https://nhiemvu.tinh.gov.vn; required in production; default elsewhere: the served ORIGIN
   */
  SITE_URL: z.string().optional(),
  /** comma-separated proxy addresses whose X-Forwarded-For is believed; empty = use the socket address */
  TRUSTED_PROXY: z.string().default(''),
  /** folder served at / : the current public release (a symlink switched atomically by the site build) */
  SITE_DIR: z.string().min(1).default('data/site/current'),
  /** largest accepted upload (bytes); issue 4's attachments */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /** where uploaded files are stored (never a served folder); default: uploads/ next to the database */
  UPLOAD_DIR: z.string().min(1).optional(),
  /** outgoing mail (urging notices): smtp://user:pass@host:587 or smtps://…; unset = messages wait in the outbox */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'phải có dạng smtp://… hoặc smtps://…')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Văn phòng UBND tỉnh <no-reply@localhost>'),
  /** daily online backups of the database (admin/jobs/backup.ts); default: backups/ next to the database */
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number({ error: 'phải là một số' }).int().min(1).max(365).default(14),
  /** server processes sharing the port (admin/server-cluster.ts); default 1 (README, Benchmarks: why) */
  ADMIN_PROCESSES: z.coerce
    .number({ error: 'phải là một số' })
    .int('phải là số nguyên')
    .min(1, 'ít nhất 1')
    .max(16, 'nhiều nhất 16')
    .optional(),
});

export interface Env {
  nodeEnv: 'production' | 'development' | 'test';
  production: boolean;
  host: string;
  port: number;
  databasePath: string;
  /** exact origin accepted by CSRF checks */
  origin: string;
  /** the public site's origin (SITE_URL; siteUrlFrom) */
  siteUrl: string;
  /** https origin: __Host- cookie, Secure, HSTS */
  secure: boolean;
  sessionCookieName: string;
  trustedProxies: string[];
  siteDir: string;
  uploadMaxBytes: number;
  /** folder of stored uploads (admin/files/store.ts), outside SITE_DIR and admin/static */
  uploadDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  /** null for an in-memory database */
  backupDir: string | null;
  backupKeep: number;
  /** server processes `npm start` runs (1 = this process serves alone; always 1 for an in-memory database) */
  processes: number;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/**
 * The public site's origin from SITE_URL: an absolute https URL with nothing after the host (the site is built for
 * the root of its domain), required in production. Outside production it defaults to `fallback` (the demo's own
 * served origin) and may be plain http on a loopback host. Throws EnvError in Vietnamese.
 */
export function siteUrlFrom(raw: string | undefined, production: boolean, fallback: string): string {
  const value = raw?.trim() || (production ? undefined : fallback);
  if (!value)
    throw new EnvError(
      'Thiếu SITE_URL: ở chế độ production phải khai báo địa chỉ https của trang công khai, ví dụ SITE_URL=https://nhiemvu.tinh.gov.vn',
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnvError(`SITE_URL không phải một địa chỉ tuyệt đối hợp lệ: ${value}`);
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/' || /[?#]$/.test(value))
    throw new EnvError('SITE_URL chỉ gồm giao thức, tên miền và cổng (không có đường dẫn, tham số hay tài khoản).');
  if (url.protocol !== 'https:') {
    if (url.protocol !== 'http:') throw new EnvError('SITE_URL phải dùng https.');
    if (production) throw new EnvError('Ở chế độ production, SITE_URL phải dùng https.');
    if (!LOOPBACK_HOSTS.has(url.hostname))
      throw new EnvError('SITE_URL dùng http chỉ được cho localhost/127.0.0.1 khi trình diễn hoặc phát triển.');
  }
  return url.origin;
}

/** Where uploads are stored: UPLOAD_DIR, else uploads/ next to the database (a temporary folder for :memory:). */
export function uploadDirFor(databasePath: string, explicit?: string): string {
  if (explicit?.trim()) return explicit;
  return databasePath === ':memory:'
    ? join(tmpdir(), 'theodoi-nhiemvu-uploads')
    : join(dirname(databasePath), 'uploads');
}

/** SITE_URL of the environment alone (the site build run from the command line or a job). */
export function siteUrlFromEnv(source: Record<string, string | undefined> = process.env): string {
  const production = source.NODE_ENV === 'production';
  const port = source.PORT?.trim() || '3000';
  return siteUrlFrom(source.SITE_URL, production, source.ORIGIN?.trim() || `http://localhost:${port}`);
}

/** Parses process.env (or any record) into Env; throws EnvError with every problem, in Vietnamese. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new EnvError(`Cấu hình môi trường không hợp lệ: ${issues}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const rawOrigin = e.ORIGIN ?? (production ? undefined : `http://localhost:${e.PORT}`);
  if (!rawOrigin) {
    throw new EnvError(
      'Thiếu ORIGIN: ở chế độ production phải khai báo địa chỉ https của hệ thống, ví dụ ORIGIN=https://nhiemvu.tinh.gov.vn',
    );
  }
  let url: URL;
  try {
    url = new URL(rawOrigin);
  } catch {
    throw new EnvError(`ORIGIN không phải một địa chỉ hợp lệ: ${rawOrigin}`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new EnvError('ORIGIN chỉ gồm giao thức, tên miền và cổng (không có đường dẫn).');
  }
  const secure = url.protocol === 'https:';
  if (!secure) {
    if (url.protocol !== 'http:')
      throw new EnvError('ORIGIN phải dùng https (hoặc http cho máy cục bộ khi phát triển).');
    if (production) throw new EnvError('Ở chế độ production, ORIGIN phải dùng https.');
    if (!LOOPBACK_HOSTS.has(url.hostname)) {
      throw new EnvError('Chế độ HTTP không mã hoá chỉ dành cho localhost/127.0.0.1 khi trình diễn hoặc phát triển.');
    }
  }
  const uploadDir = uploadDirFor(e.DATABASE_PATH, e.UPLOAD_DIR);
  // uploads must never be reachable through the public release
  const site = resolve(e.SITE_DIR);
  const up = resolve(uploadDir);
  if (up === site || up.startsWith(site + sep) || site.startsWith(up + sep)) {
    throw new EnvError('UPLOAD_DIR không được nằm trong (hoặc chứa) thư mục trang công khai SITE_DIR.');
  }
  return {
    nodeEnv: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    origin: url.origin,
    siteUrl: siteUrlFrom(e.SITE_URL, production, url.origin),
    secure,
    // __Host- requires Secure, Path=/ and no Domain: the browser then refuses it from any other origin or subdomain
    sessionCookieName: secure ? '__Host-session' : 'session',
    trustedProxies: e.TRUSTED_PROXY.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    siteDir: e.SITE_DIR,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    // next to the database (data/app.db → data/uploads); an in-memory database (tests) gets a temporary folder
    uploadDir,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    backupDir: e.BACKUP_DIR ?? (e.DATABASE_PATH === ':memory:' ? null : join(dirname(e.DATABASE_PATH), 'backups')),
    backupKeep: e.BACKUP_KEEP,
    processes: e.DATABASE_PATH === ':memory:' ? 1 : (e.ADMIN_PROCESSES ?? 1),
  };
}
