/**
 * The data generation (migration 0020): a number that moves with every row written to any table but those that
 * only record who did what and when. Where change-stamp.ts moves with any write at all (a session's touch
 * included) and suits caches of a request's reads, this one stands for everything a published snapshot may read:
 * a publication takes over its preview only while the number is the one the preview was computed at (publish.ts).
 * Read it inside the read transaction whose data it stands for.
 */
import type { DB } from './open.ts';

/** The tables whose writes do not move the generation (no snapshot reads them); every other table has triggers. */
export const UNCOUNTED_TABLES: readonly string[] = [
  'api_tokens',
  'audit_log',
  'calendar_feeds',
  'data_generation',
  'job_runs',
  'login_throttle',
  'mail_outbox',
  'sessions',
  'site_builds',
];

const statements = new WeakMap<DB, { get: () => unknown }>();

export function dataGeneration(db: DB): number {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = db.prepare('SELECT n FROM data_generation WHERE id = 1').pluck()));
  return s.get() as number;
}
