/**
 * createApp(deps): the whole HTTP surface, testable with app.request(). Mount order matters:
 *   context → security headers → body limits → csrf (explicit origin) → form-only admin writes → session →
 *   must-change-password gate → no-store → /admin routes → /api/v1 routes → public release at / → errors.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { compress } from 'hono/compress';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from 'hono';
import type { AppDeps, AppEnv, Logger } from './context.ts';
import type { DB } from './db/open.ts';
import type { Env } from './env.ts';
import { DomainError } from './domain/rules.ts';
import { redactFeedToken } from './domain/calendar-feed-token.ts';
import { createPasswordHasher, type PasswordHasher } from './auth/password.ts';
import { clientAddress, passwordChangeGate, sessionMiddleware } from './auth/middleware.ts';
import { publicRoute } from './auth/permissions.ts';
import { validateApiToken } from './auth/api-tokens.ts';
import { writeAudit } from './audit/audit.ts';
import { ADMIN_ROUTES, API_ROUTES } from './routes/index.ts';
import { TASK_CODE_PATTERN } from './routes/tasks.tsx';
import { ErrorPage } from './views/components.tsx';
import { NATIONAL_PATH, nationalRollupDir } from './rollup/served.ts';

export interface CreateAppInput {
  db: DB;
  env: Env;
  clock?: () => Date;
  /** tests only: lighter argon2 parameters; production uses ARGON_PARAMS */
  passwords?: PasswordHasher;
  log?: Logger;
}

const consoleLogger: Logger = {
  info: (msg, extra) => console.log(JSON.stringify({ level: 'info', msg, ...extra })),
  error: (msg, extra) => console.error(JSON.stringify({ level: 'error', msg, ...extra })),
};

/** Admin forms send at most a few KB; uploads (issue 4) are multipart and bounded by UPLOAD_MAX_BYTES. */
const FORM_BODY_LIMIT = 256 * 1024;

/**
 * The only paths that accept a multipart body as large as one upload (UPLOAD_MAX_BYTES) plus the form's other
 * fields (FORM_BODY_LIMIT); every other request keeps FORM_BODY_LIMIT. One request carries at most that much,
 * so several attachments of one report share the limit (the body is parsed in memory).
 * Add a pattern here when a page gains a file input.
 */
export const UPLOAD_PATHS: RegExp[] = [
  /^\/admin\/documents\/new$/,
  new RegExp(`^/admin/tasks/${TASK_CODE_PATTERN}/(report|explain)$`),
  /^\/admin\/settings(\/.*)?$/,
  /^\/admin\/import$/,
];

/** JSON API routes whose body may carry files in base64 (admin/api/tasks.ts). */
export const API_UPLOAD_PATHS: RegExp[] = [/^\/api\/v1\/tasks\/[^/]+\/events$/];

export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Yêu cầu không hợp lệ.',
  401: 'Cần đăng nhập để tiếp tục.',
  403: 'Yêu cầu bị từ chối: bạn không có quyền, hoặc biểu mẫu được gửi từ nguồn không hợp lệ.',
  404: 'Không tìm thấy trang hoặc dữ liệu được yêu cầu.',
  405: 'Phương thức không được hỗ trợ.',
  413: 'Dữ liệu gửi lên quá lớn.',
  415: 'Kiểu dữ liệu gửi lên không được hỗ trợ.',
  422: 'Dữ liệu không hợp lệ.',
  429: 'Quá nhiều yêu cầu; vui lòng thử lại sau.',
  500: 'Đã có lỗi hệ thống. Vui lòng thử lại sau hoặc liên hệ quản trị viên.',
};

const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Sets a header on the handler's response in place. c.header() after the handler re-creates the response, and its
 * bodyUsed check makes @hono/node-server build the full Response, copying the body: a 100 KB page cost a fifth of
 * its time that way. A response with immutable headers (Response.redirect, a fetched one) falls back to c.header().
 */
export function setAfterHandler(c: Context<AppEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

export function createApp(input: CreateAppInput): Hono<AppEnv> {
  const deps: AppDeps = {
    db: input.db,
    env: input.env,
    clock: input.clock ?? (() => new Date()),
    passwords: input.passwords ?? createPasswordHasher(),
    log: input.log ?? consoleLogger,
  };
  const { env } = deps;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('user', null);
    c.set('session', null);
    c.set('principal', null);
    c.set('clientIp', clientAddress(c, env));
    await next();
  });

  // The integration API authenticates by bearer token only (never by the session cookie, so no CSRF exposure),
  // accepts only JSON bodies, and every call is audited after it is answered — mounted before the body-size and
  // content-type checks so that their 413/415 refusals are audited too.
  app.use('/api/*', async (c, next) => {
    const principal = validateApiToken(deps.db, c.req.header('authorization'), deps.clock());
    c.set('principal', principal);
    await next();
    writeAudit(deps.db, {
      at: deps.clock(),
      actor: principal,
      action: 'api.call',
      targetType: 'route',
      targetId: `${c.req.method} ${c.req.path}`,
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
      details: { status: c.res.status },
    });
  });

  // CSP without any inline script or style; the public release is built to the same rule (issue 5).
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      strictTransportSecurity: env.secure ? 'max-age=31536000; includeSubDomains' : false,
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
    }),
  );

  const tooLarge = (_c: Context<AppEnv>): never => {
    throw new HTTPException(413, { message: STATUS_MESSAGES[413]! });
  };
  const formLimit = bodyLimit({ maxSize: FORM_BODY_LIMIT, onError: tooLarge });
  const uploadLimit = bodyLimit({ maxSize: env.uploadMaxBytes + FORM_BODY_LIMIT, onError: tooLarge });
  // API events carry their files in base64 (4/3 of the bytes) inside the JSON body
  const apiUploadLimit = bodyLimit({
    maxSize: Math.ceil((env.uploadMaxBytes * 4) / 3) + FORM_BODY_LIMIT,
    onError: tooLarge,
  });
  app.use('*', async (c, next) => {
    const multipart = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '');
    const uploadRoute = multipart && c.req.method === 'POST' && UPLOAD_PATHS.some((re) => re.test(c.req.path));
    if (!multipart && c.req.method === 'POST' && API_UPLOAD_PATHS.some((re) => re.test(c.req.path)))
      return apiUploadLimit(c, next);
    return (uploadRoute ? uploadLimit : formLimit)(c, next);
  });

  // JSON routes accept only application/json (checked before csrf() so the answer is a clear 415).
  app.use('/api/*', async (c, next) => {
    if (
      !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) &&
      !/^application\/json\b/i.test(c.req.header('content-type') ?? '')
    ) {
      throw new HTTPException(415, { message: 'API chỉ chấp nhận dữ liệu application/json.' });
    }
    await next();
  });

  // Hono's csrf(): form-like bodies must come from ORIGIN (Origin header) or say Sec-Fetch-Site: same-origin.
  app.use('*', csrf({ origin: env.origin }));

  // Admin writes accept only HTML form encodings, so csrf() above always sees them; JSON belongs to /api/v1.
  app.use('/admin/*', async (c, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const ct = c.req.header('content-type') ?? '';
      if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(ct)) {
        throw new HTTPException(415, { message: 'Chỉ chấp nhận dữ liệu gửi từ biểu mẫu của hệ thống.' });
      }
    }
    await next();
  });

  app.use('/admin/*', sessionMiddleware);
  app.use('/admin/*', passwordChangeGate);
  app.use('/admin/*', async (c, next) => {
    await next();
    if (!c.req.path.startsWith('/admin/static/')) setAfterHandler(c, 'Cache-Control', 'no-store');
  });

  for (const create of ADMIN_ROUTES) app.route('/admin', create(deps));
  for (const create of API_ROUTES) app.route('/api/v1', create(deps));

  // The current public release (a symlink switched atomically by the site build). serveStatic refuses '..',
  // encoded traversal and double slashes, and never lists directories (a folder serves its index.html or 404).
  const siteRoot = resolve(env.siteDir);
  let serveSite: ReturnType<typeof serveStatic<AppEnv>> | null = null;
  // gzip the public pages, styles and scripts (served with a short public cache); the admin stays uncompressed
  // (no-store, small pages) so secrets in responses never meet a compression side channel (BREACH)
  const gzip = compress({ encoding: 'gzip' });
  app.use('/*', async (c, next) => {
    if (c.req.path.startsWith('/admin') || isApiPath(c.req.path)) return next();
    return gzip(c, next);
  });
  // The national roll-up beside the release (admin/rollup/served.ts; the demo builds it, replaced by renames only),
  // served the same way with the same headers, once it exists. Its links are relative: a folder is redirected to its
  // address with the trailing slash, or they would resolve against the province's own site.
  const nationalRoot = nationalRollupDir(env.siteDir);
  let serveNational: ReturnType<typeof serveStatic<AppEnv>> | null = null;
  app.on(
    ['GET', 'HEAD'],
    [NATIONAL_PATH, `${NATIONAL_PATH}/*`],
    publicRoute('national roll-up (static site)'),
    async (c, next) => {
      if (!serveNational) {
        if (!existsSync(nationalRoot)) return next();
        serveNational = serveStatic<AppEnv>({
          root: nationalRoot,
          rewriteRequestPath: (p) => p.slice(NATIONAL_PATH.length) || '/',
        });
      }
      c.header('Cache-Control', 'public, max-age=300');
      const path = c.req.path;
      const rest = path.slice(NATIONAL_PATH.length);
      // only a real folder of the roll-up is redirected (no dot segment, doubled, encoded or back slash)
      if (
        !path.endsWith('/') &&
        !/(^|\/)\.{1,2}(\/|$)|\/\/|%|\\/.test(rest) &&
        statSync(join(nationalRoot, rest), { throwIfNoEntry: false })?.isDirectory()
      )
        return c.redirect(`${path}/${new URL(c.req.url).search}`, 301);
      return serveNational(c, next);
    },
  );
  app.on(['GET', 'HEAD'], '/*', publicRoute('public release (static site)'), async (c, next) => {
    if (c.req.path.startsWith('/admin') || isApiPath(c.req.path)) return next();
    // created once the release exists (the first build may happen after the server starts)
    if (!serveSite) {
      if (!existsSync(siteRoot)) return next();
      serveSite = serveStatic<AppEnv>({ root: siteRoot });
    }
    c.header('Cache-Control', 'public, max-age=300');
    const res = await serveSite(c, next);
    // the open data's spreadsheets: node-server's static files know no .xlsx (it would say octet-stream)
    if (res && res.status === 200 && c.req.path.endsWith('.xlsx')) res.headers.set('Content-Type', XLSX_MEDIA_TYPE);
    return res;
  });

  app.notFound((c) => {
    const path = c.req.path;
    if (isApiPath(path)) return c.json({ error: { code: 'not_found', message: STATUS_MESSAGES[404] } }, 404);
    if (!path.startsWith('/admin')) {
      const page = join(siteRoot, '404.html');
      if (existsSync(page)) return c.html(readFileSync(page, 'utf8'), 404);
      return c.html(
        '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Không tìm thấy</title><h1>Không tìm thấy trang</h1><p><a href="/">Về trang chủ</a></p></html>',
        404,
      );
    }
    return c.html(ErrorPage({ status: 404, message: STATUS_MESSAGES[404]!, user: c.get('user') ?? null }), 404);
  });

  app.onError((err, c) => {
    let status: number;
    let code: string;
    let message: string;
    if (err instanceof DomainError) {
      status = err.status;
      code = err.code;
      message = err.message;
    } else if (err instanceof HTTPException) {
      status = err.status;
      code = `http_${err.status}`;
      message = err.message || STATUS_MESSAGES[status] || STATUS_MESSAGES[400]!;
      if (status === 403 && !err.message) {
        // csrf() refusal (it throws a bare 403): recorded like every other refusal
        code = 'csrf';
        writeAudit(deps.db, {
          at: deps.clock(),
          actor: c.get('principal') ?? null,
          action: 'csrf.refused',
          targetType: 'route',
          targetId: `${c.req.method} ${redactFeedToken(c.req.path)}`,
          ip: c.get('clientIp') ?? '',
          userAgent: c.req.header('user-agent') ?? '',
          details: { origin: c.req.header('origin') ?? null, secFetchSite: c.req.header('sec-fetch-site') ?? null },
        });
      }
    } else {
      status = 500;
      code = 'internal';
      message = STATUS_MESSAGES[500]!;
      deps.log.error('unhandled error', {
        // a calendar feed's path is its credential (admin/domain/calendar-feed-token.ts)
        path: redactFeedToken(c.req.path),
        method: c.req.method,
        error: err instanceof Error ? (env.production ? err.message : err.stack) : String(err),
      });
    }
    if (status === 401 && !isApiPath(c.req.path)) return c.redirect('/admin/login', 302);
    const s = status as 400;
    if (isApiPath(c.req.path)) return c.json({ error: { code, message } }, s);
    if (!c.req.path.startsWith('/admin')) return c.text(message, s);
    c.header('Cache-Control', 'no-store');
    return c.html(ErrorPage({ status, message, user: c.get('user') ?? null }), s);
  });

  return app;
}
