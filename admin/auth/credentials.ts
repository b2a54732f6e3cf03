/** The SQL of signing in and changing one's password (admin/routes/auth.tsx, account.tsx): accounts by name, hashes. */
import type { DB } from '../db/open.ts';

export interface LoginAccount {
  id: number;
  username: string;
  password_hash: string;
  disabled: number;
  must_change_password: number;
}

export function findLoginAccount(db: DB, username: string): LoginAccount | undefined {
  return db
    .prepare('SELECT id, username, password_hash, disabled, must_change_password FROM users WHERE username = ?')
    .get(username) as LoginAccount | undefined;
}

export function passwordHashOf(db: DB, userId: number): string | undefined {
  return (
    db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as { password_hash: string } | undefined
  )?.password_hash;
}

/** A rehash with the current parameters (same password): nothing else about the account changes. */
export function upgradePasswordHash(db: DB, userId: number, hash: string): void {
  db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
}

/** A new password chosen by the user: the temporary-password flag is cleared. Call inside the caller's transaction. */
export function setOwnPassword(db: DB, userId: number, hash: string, now: Date): void {
  db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ? WHERE id = ?').run(
    hash,
    now.toISOString(),
    userId,
  );
}

export function recordLastLogin(db: DB, userId: number, now: Date): void {
  db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now.toISOString(), userId);
}
