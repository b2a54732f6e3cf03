/**
 * Demo accounts, one per role plus agency users for up to three agencies, with random passwords returned once
 * (printed by `npm run demo`, used by tests). Never called outside demo mode and tests: production accounts are
 * made with `npm run user:create` and the users page; there is no default account with a known password.
 */
import type { DB } from '../db/open.ts';
import { createPasswordHasher, generatePassword, type PasswordHasher } from './password.ts';
import { insertUser } from './users.ts';
import { writeAudit } from '../audit/audit.ts';
import type { Role } from './permissions.ts';

export interface DemoUser {
  role: Role;
  username: string;
  password: string;
  agencyName?: string;
  agencyCode?: string;
  id: number;
}

const OFFICE: Array<{ role: Role; username: string; displayName: string }> = [
  { role: 'admin', username: 'quantri', displayName: 'Quản trị hệ thống' },
  { role: 'specialist', username: 'chuyenvien', displayName: 'Nguyễn Thị Chuyên Viên' },
  { role: 'confirmer', username: 'tocongtac', displayName: 'Trần Văn Tổ Công Tác' },
  { role: 'leader', username: 'lanhdao', displayName: 'Lê Văn Lãnh Đạo' },
];

/**
 * Creates the demo accounts (skipping usernames that already exist) and returns them with their passwords.
 * Agency users go to the first three active agencies, departments first.
 */
export function createDemoUsers(
  db: DB,
  hasher: PasswordHasher = createPasswordHasher(),
  now: Date = new Date(),
): DemoUser[] {
  const agencies = db
    .prepare(
      `SELECT id, code, name FROM agencies WHERE successor_id IS NULL AND dissolved_on IS NULL
        ORDER BY CASE kind WHEN 'department' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, id LIMIT 3`,
    )
    .all() as Array<{ id: number; code: string; name: string }>;
  const plan = [
    ...OFFICE.map((o) => ({ ...o, agency: null as null | { id: number; code: string; name: string } })),
    ...agencies.map((a, i) => ({
      role: 'agency' as Role,
      username: `donvi${i + 1}`,
      displayName: `Cán bộ đầu mối ${a.name}`,
      agency: a,
    })),
  ];
  const out: DemoUser[] = [];
  for (const p of plan) {
    if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(p.username)) continue;
    const password = generatePassword();
    const hash = hasher.hashSync(password);
    const id = db
      .transaction(() => {
        const newId = insertUser(
          db,
          {
            username: p.username,
            displayName: p.displayName,
            email: null,
            role: p.role,
            agencyId: p.agency?.id ?? null,
          },
          hash,
          false,
          now,
        );
        writeAudit(db, {
          at: now,
          actor: 'system',
          action: 'user.create',
          targetType: 'user',
          targetId: newId,
          details: { username: p.username, role: p.role, demo: true },
        });
        return newId;
      })
      .immediate();
    out.push({
      role: p.role,
      username: p.username,
      password,
      id,
      ...(p.agency ? { agencyName: p.agency.name, agencyCode: p.agency.code } : {}),
    });
  }
  return out;
}
