/** Request-level auth plumbing: client address, the session cookie, and the must-change-password gate. */
import { createMiddleware } from 'hono/factory';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import type { Env } from '../env.ts';
import { SESSION_ABSOLUTE_MS, validateSessionToken } from './session.ts';

/**
 * The client address: the socket's peer, unless that peer is a configured trusted proxy, in which case the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy. A forged header from anyone else is ignored.
 */
export function clientAddress(c: Context, env: Env): string {
  let socket = '';
  try {
    socket = getConnInfo(c).remote.address ?? '';
  } catch {
    socket = ''; // app.request() in tests without a socket
  }
  socket = socket.replace(/^::ffff:/, '');
  if (env.trustedProxies.length === 0 || !env.trustedProxies.includes(socket)) return socket;
  const chain = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^::ffff:/, ''))
    .filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) if (!env.trustedProxies.includes(chain[i]!)) return chain[i]!;
  return socket;
}

export function setSessionCookie(c: Context, env: Env, token: string): void {
  setCookie(c, env.sessionCookieName, token, {
    httpOnly: true,
    secure: env.secure,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context, env: Env): void {
  deleteCookie(c, env.sessionCookieName, { path: '/', secure: env.secure });
}

/** Reads the session cookie and sets c.var.user / session / principal (null when absent or expired). */
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const { db, env, clock } = c.get('deps');
  const token = getCookie(c, env.sessionCookieName);
  if (token) {
    const result = validateSessionToken(db, token, clock());
    if (result) {
      c.set('user', result.user);
      c.set('session', result.session);
      c.set('principal', {
        kind: 'user',
        id: result.user.id,
        name: result.user.username,
        role: result.user.role,
        agencyId: result.user.agencyId,
      });
    } else {
      clearSessionCookie(c, env);
    }
  }
  await next();
});

const PASSWORD_GATE_ALLOWED = new Set(['/admin/account/password', '/admin/logout', '/admin/login']);

/** After an administrator's reset, the user must choose a new password before doing anything else (ASVS 2.1.x). */
export const passwordChangeGate = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.get('user');
  if (user?.mustChangePassword && !PASSWORD_GATE_ALLOWED.has(c.req.path) && !c.req.path.startsWith('/admin/static/')) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/admin/account/password', 302);
    throw new HTTPException(403, { message: 'Bạn cần đổi mật khẩu tạm thời trước khi tiếp tục.' });
  }
  await next();
});
