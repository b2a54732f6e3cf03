/**
 * npm run user:create -- --role admin --username NAME [--name "Họ và tên"] [--agency CODE] [--email E] [--password-stdin]
 *
 * Creates an account (typically the first administrator). The password is read from a prompt without echo, or
 * from standard input with --password-stdin (first line); it is never a command-line argument (shell history,
 * process list). Validated with the same rules as the users page; the creation is audited as 'system'.
 */
import { parseArgs } from 'node:util';
import { openDatabase, databasePathFromEnv } from '../admin/db/open.ts';
import { createPasswordHasher, passwordProblem } from '../admin/auth/password.ts';
import { insertUser, validateUserInput } from '../admin/auth/users.ts';
import { writeAudit } from '../admin/audit/audit.ts';
import { ROLES } from '../admin/auth/permissions.ts';

function fail(msg: string): never {
  console.error(`Lỗi: ${msg}`);
  process.exit(1);
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    if (!stdin.isTTY) return reject(new Error('Không có terminal để nhập mật khẩu; dùng --password-stdin.'));
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stdout.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      agency: { type: 'string' },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.role || !values.username) {
    fail(
      `cần --role (${ROLES.join(', ')}) và --username. Ví dụ: npm run user:create -- --role admin --username quantri`,
    );
  }
  const dbPath = databasePathFromEnv();
  const db = openDatabase(dbPath);
  let agencyId = '';
  if (values.agency) {
    const a = db
      .prepare('SELECT id FROM agencies WHERE code = ? AND successor_id IS NULL AND dissolved_on IS NULL')
      .get(values.agency) as { id: number } | undefined;
    if (!a) fail(`không tìm thấy đơn vị đang hoạt động có mã ${values.agency}.`);
    agencyId = String(a.id);
  }
  const { errors, value } = validateUserInput(db, {
    username: values.username,
    displayName: values.name ?? values.username,
    email: values.email ?? '',
    role: values.role,
    agencyId,
  });
  if (!value) fail(Object.values(errors).join(' '));

  let password: string;
  if (values['password-stdin']) {
    password = await readStdinLine();
  } else {
    password = await promptHidden('Mật khẩu: ');
    const again = await promptHidden('Nhập lại mật khẩu: ');
    if (again !== password) fail('hai lần nhập mật khẩu không khớp.');
  }
  const problem = passwordProblem(password, { username: value.username });
  if (problem) fail(problem);

  process.stdout.write('Đang băm mật khẩu (argon2id)…\n');
  const hash = await createPasswordHasher().hash(password);
  const now = new Date();
  const id = db
    .transaction(() => {
      const newId = insertUser(db, value, hash, false, now);
      writeAudit(db, {
        at: now,
        actor: 'system',
        actorName: `cli:${process.env.USER ?? 'unknown'}`,
        action: 'user.create',
        targetType: 'user',
        targetId: newId,
        details: { username: value.username, role: value.role, agencyId: value.agencyId, via: 'user:create' },
      });
      return newId;
    })
    .immediate();
  db.close();
  console.log(`Đã tạo tài khoản "${value.username}" (vai trò ${value.role}, id ${id}) trong ${dbPath}.`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
