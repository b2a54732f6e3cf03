/**
 * npm run demo — the whole product on its embedded default, from nothing:
 *  1. opens (or creates and migrates) the SQLite database at DATABASE_PATH (default data/app.db);
 *  2. on an empty database, generates the demo province "tỉnh Lam Sơn" as 2025 really was (seed "demo", ten years
 *     up to today, admin/demo/reorganised.ts): two former provinces, the 01/03/2025 department mergers, their merger
 *     on 01/07/2025 with the district level abolished; the former province's database stays next to DATABASE_PATH;
 *  3. creates one demo account per role (or gives the existing demo accounts new random passwords: passwords are
 *     never stored in clear, so each run prints a fresh set) and prints them;
 *  4. prints the province summary and the four-status table as of today;
 *  5. publishes the past months not yet published (the last DEMO_MONTHS, default 12) and builds the public site
 *     when there is no live release or something new was published; then, on the first run or when something new
 *     was published, the national roll-up of this province and two generated ones (admin/demo/national.ts);
 *  6. serves the admin panel at /admin, the API at /api/v1, the current public release at / and the roll-up at
 *     /toan-quoc/ (PORT, default 3000).
 * Demo mode only: plain HTTP on localhost. Production uses `npm start` with its environment (README).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { openDatabase } from '../admin/db/open.ts';
import { EnvError, loadEnv, type Env } from '../admin/env.ts';
import { generateReorganisedProvince } from '../admin/demo/reorganised.ts';
import { reorganisationLines } from '../admin/demo/reorganised-summary.ts';
import { summarizeProvince } from '../admin/demo/summary.ts';
import { formatNumber } from '../admin/domain/format.ts';
import { createDemoUsers, DEMO_USERNAMES, type DemoUser } from '../admin/auth/demo-users.ts';
import { createPasswordHasher, generatePassword } from '../admin/auth/password.ts';
import { invalidateUserSessions } from '../admin/auth/session.ts';
import { writeAudit } from '../admin/audit/audit.ts';
import { ROLE_LABELS, type Role } from '../admin/auth/permissions.ts';
import { addDays, addMonths, formatDateVi, today } from '../admin/domain/dates.ts';
import { buildSite, publishMonthEnds } from '../admin/publication/index.ts';
import { seedDemoNotices } from '../admin/demo/notices.ts';
import { nationalDemoStep } from '../admin/demo/national.ts';
import { startServer } from '../admin/server.ts';
import type { DB } from '../admin/db/open.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** New random passwords for the demo accounts that already exist (their old sessions end). */
function renewDemoPasswords(db: DB, now: Date, skipIds: ReadonlySet<number>): DemoUser[] {
  const hasher = createPasswordHasher();
  const rows = db
    .prepare(
      `SELECT u.id, u.username, COALESCE(u.unit_role, u.role) AS role, a.code AS agencyCode, a.name AS agencyName
         FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
        WHERE u.username IN (${DEMO_USERNAMES.map(() => '?').join(', ')}) AND u.disabled = 0`,
    )
    .all(...DEMO_USERNAMES) as Array<{
    id: number;
    username: string;
    role: Role;
    agencyCode: string | null;
    agencyName: string | null;
  }>;
  return rows
    .filter((r) => !skipIds.has(r.id))
    .map((r) => {
      const password = generatePassword();
      const hash = hasher.hashSync(password);
      db.transaction(() => {
        db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?').run(
          hash,
          now.toISOString(),
          r.id,
        );
        invalidateUserSessions(db, r.id);
        writeAudit(db, {
          at: now,
          actor: 'system',
          action: 'user.password_reset',
          targetType: 'user',
          targetId: r.id,
          details: { demo: true },
        });
      }).immediate();
      return {
        id: r.id,
        role: r.role,
        username: r.username,
        password,
        ...(r.agencyCode ? { agencyCode: r.agencyCode, agencyName: r.agencyName ?? '' } : {}),
      };
    });
}

/** A whole number from the environment within [min, max], or the default when unset; anything else stops the demo. */
function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`${name} phải là số nguyên từ ${min} đến ${max} (nhận được "${raw}").`);
  return n;
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof EnvError) fail(e.message);
    throw e;
  }
  if (env.production)
    fail('npm run demo chỉ dành cho trình diễn; ở chế độ production hãy dùng npm start (xem README).');
  // checked before anything is written
  const demoYears = intFromEnv('DEMO_YEARS', 10, 1, 30);
  const demoMonths = intFromEnv('DEMO_MONTHS', 12, 1, 120);
  const started = performance.now();
  const now = new Date();
  const asOf = today(now);

  let db: DB;
  try {
    db = openDatabase(env.databasePath);
  } catch (e) {
    fail(`Không mở được cơ sở dữ liệu ${env.databasePath}: ${(e as Error).message}`);
  }

  const count = (
    db.prepare('SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM tasks) AS n').get() as { n: number }
  ).n;
  if (count === 0) {
    // DEMO_YEARS: a smaller province for a quick look (and the demo's own test); ten years by default
    const years = demoYears;
    console.log(`[1/4] Tạo tỉnh mẫu ${years} năm đến ngày ${formatDateVi(asOf)} → ${env.databasePath}`);
    const s = generateReorganisedProvince(db, {
      years,
      seed: 'demo',
      endDate: asOf,
      now, // nothing recorded after this moment (today's events get times up to now, never later)
      workDir: dirname(resolve(env.databasePath)),
      uploadDir: env.uploadDir,
      // this province's own months before 01/07/2025 are published before the other province joins it
      publishFrom: addMonths(asOf, -demoMonths).slice(0, 7),
      onProgress: (m) => console.log(`      ${m}`),
    });
    db.exec('ANALYZE');
    console.log(
      `      ${s.agencies} đơn vị, ${formatNumber(s.documents)} văn bản, ${formatNumber(s.tasks)} nhiệm vụ, ${formatNumber(s.events)} sự kiện.`,
    );
    for (const line of reorganisationLines(s)) console.log(`      ${line}`);
  } else {
    console.log(`[1/4] Dùng cơ sở dữ liệu có sẵn ${env.databasePath} (xóa tệp này để tạo lại tỉnh mẫu).`);
  }

  const fresh = createDemoUsers(db, createPasswordHasher(), now);
  const renewed = renewDemoPasswords(db, now, new Set(fresh.map((f) => f.id)));
  const accounts = [...fresh, ...renewed].sort(
    (a, b) => DEMO_USERNAMES.indexOf(a.username) - DEMO_USERNAMES.indexOf(b.username),
  );

  // what a running server would have told the accounts (the generator writes events, not notices)
  const notices = seedDemoNotices(db, asOf, now);
  console.log(
    `      thông báo: ${formatNumber(notices.newTasks)} nhiệm vụ mới, ${formatNumber(notices.dueSoon)} sắp đến hạn, ${formatNumber(notices.overdue)} quá hạn, ${formatNumber(notices.waiting)} chờ xử lý lâu.`,
  );

  console.log(`\n[2/4] Tóm tắt tỉnh mẫu, số liệu tính đến ngày ${formatDateVi(asOf)}:\n`);
  console.log(summarizeProvince(db, asOf));

  const from = addMonths(asOf, -demoMonths).slice(0, 7);
  const lastMonthEnd = `${asOf.slice(0, 7)}-01`;
  console.log(
    `\n[3/4] Công bố số liệu các tháng từ ${from.slice(5)}/${from.slice(0, 4)} (mỗi kỳ tính đến ngày cuối tháng):`,
  );
  const published = publishMonthEnds(db, {
    fromPeriod: from,
    // only months that have ended: the current month is published after its meeting
    until: addDays(lastMonthEnd, -1),
    now,
    onProgress: (r) => console.log(`      kỳ ${r.period}: ${formatNumber(r.taskCount)} nhiệm vụ công khai`),
  });
  if (published.length === 0) console.log('      không có kỳ mới (đã công bố trước đó).');

  const siteDir = resolve(env.siteDir, '..');
  const live = existsSync(join(siteDir, 'current'));
  if (published.length > 0 || !live) {
    console.log('\n[4/4] Dựng trang công khai (Astro, khoảng một phút)…');
    try {
      const r = await buildSite({ db, siteDir, trigger: 'cli', onProgress: (p) => console.log(`      ${p.message}`) });
      console.log(`      ${formatNumber(r.pages)} trang, bản ${r.releaseId}, ${(r.durationMs / 1000).toFixed(1)} s.`);
    } catch (e) {
      console.error(
        `      Dựng trang thất bại: ${(e as Error).message} — phần quản trị vẫn chạy; bản công khai trước (nếu có) vẫn được phục vụ.`,
      );
    }
  } else {
    console.log('\n[4/4] Trang công khai đã có bản mới nhất; không dựng lại.');
  }
  // the roll-up of this province and two generated ones at /toan-quoc/ (first run, or when a month was published)
  await nationalDemoStep({
    siteDir,
    siteUrl: env.siteUrl,
    fromPeriod: from,
    until: addDays(lastMonthEnd, -1),
    asOf,
    now,
    demoYears,
    months: demoMonths,
    published: published.length,
  });

  const running = await startServer(env, { db, quiet: true });
  console.log(`\nTài khoản trình diễn (mật khẩu mới cho lần chạy này; chỉ dùng trên máy cục bộ):`);
  for (const a of accounts) {
    const who = a.agencyName ? `${ROLE_LABELS[a.role]} — ${a.agencyName}` : ROLE_LABELS[a.role];
    console.log(`  ${a.username.padEnd(13)} ${a.password}   ${who}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1).replace('.', ',');
  console.log(
    `\nSẵn sàng sau ${seconds} giây: quản trị ${env.origin}/admin · API ${env.origin}/api/v1/openapi.json · trang công khai ${env.origin}/ (Ctrl+C để dừng)`,
  );
  const stop = () => {
    void running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => fail(`npm run demo thất bại: ${(e as Error).message}`));
