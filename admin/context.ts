/** The dependencies createApp receives and the per-request variables every route can read (c.get / c.var). */
import type { DB } from './db/open.ts';
import type { Env } from './env.ts';
import type { PasswordHasher } from './auth/password.ts';
import type { Principal } from './auth/principal.ts';
import type { Session, SessionUser } from './auth/session.ts';

export interface Logger {
  info(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export interface AppDeps {
  db: DB;
  env: Env;
  /** injectable clock: tests move time to check session expiry and throttling */
  clock: () => Date;
  /** argon2id hasher; tests may pass lighter parameters (TEST_ARGON_PARAMS), production always ARGON_PARAMS */
  passwords: PasswordHasher;
  log: Logger;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** the signed-in person (cookie session), or null */
    user: SessionUser | null;
    session: Session | null;
    /** who is acting, for permission checks and the audit log: the user, or an API client (issue 4) */
    principal: Principal | null;
    /** client address: the socket's, or from X-Forwarded-For only behind a configured TRUSTED_PROXY */
    clientIp: string;
  };
}
