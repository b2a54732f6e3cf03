/** Accounts in SQL: validation and the writes, shared by the users pages, `npm run user:create` and demo accounts. */
import type { DB } from '../db/open.ts';
import { isAgencyRole, ROLES, type Role } from './permissions.ts';
import { sortByNameVi } from '../domain/collation.ts';

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,49}$/i;

export interface UserRecord {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  agency_id: number | null;
  agency_name: string | null;
  agency_code: string | null;
  disabled: number;
  must_change_password: number;
  created_at: string;
  last_login_at: string | null;
  password_changed_at: string | null;
}

export interface UserInput {
  username: string;
  displayName: string;
  email: string;
  role: string;
  /** agency id as text from a form, or '' */
  agencyId: string;
}

export interface AgencyOption {
  id: number;
  code: string;
  name: string;
}

/** Agencies that can still have users: not merged into a successor and not dissolved. */
export function listActiveAgencies(db: DB): AgencyOption[] {
  return sortByNameVi(
    db
      .prepare('SELECT id, code, name FROM agencies WHERE successor_id IS NULL AND dissolved_on IS NULL')
      .all() as AgencyOption[],
  );
}

export function getUser(db: DB, id: number): UserRecord | undefined {
  return db
    .prepare(
      `SELECT u.id, u.username, u.display_name, u.email, COALESCE(u.unit_role, u.role) AS role, u.agency_id, a.name AS agency_name, a.code AS agency_code,
              u.disabled, u.must_change_password, u.created_at, u.last_login_at, u.password_changed_at
         FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.id = ?`,
    )
    .get(id) as UserRecord | undefined;
}

export function listUsers(db: DB): UserRecord[] {
  return db
    .prepare(
      `SELECT u.id, u.username, u.display_name, u.email, COALESCE(u.unit_role, u.role) AS role, u.agency_id, a.name AS agency_name, a.code AS agency_code,
              u.disabled, u.must_change_password, u.created_at, u.last_login_at, u.password_changed_at
         FROM users u LEFT JOIN agencies a ON a.id = u.agency_id ORDER BY u.disabled, u.role, u.unit_role, u.username`,
    )
    .all() as UserRecord[];
}

/**
 * Field errors (Vietnamese) for a new or edited account; `existingId` skips the username checks on edit.
 * Returns the normalised values when valid.
 */
export function validateUserInput(
  db: DB,
  input: UserInput,
  existingId?: number,
): {
  errors: Record<string, string>;
  value?: { username: string; displayName: string; email: string | null; role: Role; agencyId: number | null };
} {
  const errors: Record<string, string> = {};
  const username = input.username.trim();
  if (existingId === undefined) {
    if (!USERNAME_RE.test(username)) {
      errors.username = 'Tên đăng nhập gồm 3–50 ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.';
    } else if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(username)) {
      errors.username = 'Tên đăng nhập đã tồn tại.';
    }
  }
  const displayName = input.displayName.trim();
  if (displayName.length < 2 || displayName.length > 120) errors.display_name = 'Họ và tên từ 2 đến 120 ký tự.';
  const email = input.email.trim();
  if (email && (email.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
    errors.email = 'Địa chỉ thư điện tử không hợp lệ.';
  const role = input.role as Role;
  if (!(ROLES as readonly string[]).includes(role)) errors.role = 'Cần chọn vai trò.';
  let agencyId: number | null = null;
  if ((ROLES as readonly string[]).includes(role) && isAgencyRole(role)) {
    const id = Number(input.agencyId);
    const ok = Number.isInteger(id) && id > 0 && listActiveAgencies(db).some((a) => a.id === id);
    if (!ok)
      errors.agency_id =
        'Tài khoản cán bộ đầu mối, thủ trưởng hoặc chuyên viên đơn vị phải thuộc một đơn vị đang hoạt động.';
    else agencyId = id;
  } else if (input.agencyId !== '' && (ROLES as readonly string[]).includes(role)) {
    errors.agency_id = 'Chỉ tài khoản của đơn vị (đầu mối, thủ trưởng, chuyên viên) mới gắn với một đơn vị.';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, value: { username, displayName, email: email || null, role, agencyId } };
}

export function insertUser(
  db: DB,
  v: { username: string; displayName: string; email: string | null; role: Role; agencyId: number | null },
  passwordHash: string,
  mustChangePassword: boolean,
  now: Date,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO users (username, display_name, email, role, unit_role, agency_id, password_hash, must_change_password, created_at, password_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        v.username,
        v.displayName,
        v.email,
        ...storedRole(v.role),
        v.agencyId,
        passwordHash,
        mustChangePassword ? 1 : 0,
        now.toISOString(),
        now.toISOString(),
      ).lastInsertRowid,
  );
}

/** Writes the fields an administrator edits (caller runs it in the transaction that audits it). */
export function updateUserProfile(
  db: DB,
  id: number,
  p: { displayName: string; email: string | null; role: Role; agencyId: number | null },
): void {
  db.prepare('UPDATE users SET display_name = ?, email = ?, role = ?, unit_role = ?, agency_id = ? WHERE id = ?').run(
    p.displayName,
    p.email,
    ...storedRole(p.role),
    p.agencyId,
    id,
  );
}

/** users.role and users.unit_role for a role: a head or an officer is an agency user with a unit role (0009). */
export function storedRole(role: Role): [string, string | null] {
  return role === 'head' || role === 'officer' ? ['agency', role] : [role, null];
}

/** Locks (true) or unlocks an account. */
export function setUserDisabled(db: DB, id: number, disabled: boolean): void {
  db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
}

/** Sets a temporary password (already hashed) that must be changed at the next sign-in. */
export function setTemporaryPassword(db: DB, id: number, hash: string, now: Date): void {
  db.prepare('UPDATE users SET password_hash = ?, must_change_password = 1, password_changed_at = ? WHERE id = ?').run(
    hash,
    now.toISOString(),
    id,
  );
}
