/**
 * Demo accounts, one per role plus, for up to three agencies, a focal point, a head of unit and two officers (issue
 * 11; the third agency's head approves before anything reaches the Office), with random passwords returned once
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

/** Every demo username, in the order `npm run demo` prints them. */
export const DEMO_USERNAMES: readonly string[] = [
  ...OFFICE.map((o) => o.username),
  ...[1, 2, 3].flatMap((i) => [`donvi${i}`, `thutruong${i}`, `chuyenvien${i}a`, `chuyenvien${i}b`]),
];

/** The demo agency (1-based) whose head approves before reports, extension requests and explanations go out. */
export const DEMO_HEAD_APPROVAL_AGENCY = 3;

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
    ...agencies.flatMap((a, i) => [
      { role: 'agency' as Role, username: `donvi${i + 1}`, displayName: `Cán bộ đầu mối ${a.name}`, agency: a },
      { role: 'head' as Role, username: `thutruong${i + 1}`, displayName: `Thủ trưởng ${a.name}`, agency: a },
      { role: 'officer' as Role, username: `chuyenvien${i + 1}a`, displayName: `Chuyên viên A, ${a.name}`, agency: a },
      { role: 'officer' as Role, username: `chuyenvien${i + 1}b`, displayName: `Chuyên viên B, ${a.name}`, agency: a },
    ]),
  ];
  const approving = agencies[DEMO_HEAD_APPROVAL_AGENCY - 1];
  // the agency setting of admin/domain/unit-steps.ts (auth sits below domain, hence the statement here)
  if (approving) db.prepare('UPDATE agencies SET head_approval = 1 WHERE id = ?').run(approving.id);
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
