/**
 * Import of tasks from a file ('task.import', the Office specialist), in the format of `npm run import`
 * (admin/import/import-tasks.ts). Two steps, nothing written before the second:
 *
 *   POST /import          upload → parse → importTasks(dryRun) → row-by-row error report, or a summary and a
 *                         confirmation form carrying a random one-time token
 *   POST /import/confirm  token → the rows parsed at step 1 → importTasks (re-validates everything against the
 *                         database as it is now, writes all rows or none, records the file and the importer
 *                         with every event) + audit, in one immediate transaction
 *
 * The file is read in a worker thread with the row limit applied while reading (admin/import/read-file.ts), so a
 * hostile workbook never holds up other requests.
 *
 * The parsed rows stay in this process's memory for 15 minutes under a random 192-bit token bound to the user who
 * uploaded them, usable once; a server restart just asks for the file again. Keeping the rows (not the file) means
 * the confirmation imports exactly what was checked, and nothing of the upload is ever written to disk.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { randomBytes, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import {
  IMPORT_COLUMNS,
  IMPORT_FIELDS,
  MAX_IMPORT_BYTES,
  parseImportFile,
  type ImportError,
  type ImportFormat,
  type ImportRow,
} from '../import/import-tasks.ts';
import { detectFileKind } from '../files/detect.ts';
import { runImportJob } from '../import/run-job.ts';
import { today } from '../domain/dates.ts';
import { formatNumber } from '../domain/format.ts';
import { Layout } from '../views/layout.tsx';
import { Flash, Table } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

const EXAMPLES_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));
export const IMPORT_TOKEN_TTL_MS = 15 * 60_000;
const MAX_PENDING = 50;

interface PendingImport {
  userId: number;
  expires: number;
  fileName: string;
  sha256: string;
  rows: ImportRow[];
  valid: number;
  documentsCreated: number;
}

/** The format from the file name's extension, or null. */
function formatOf(name: string): ImportFormat | null {
  const m = /\.(csv|xlsx|json)$/i.exec(name);
  return m ? (m[1]!.toLowerCase() as ImportFormat) : null;
}

/** Content check (the extension alone proves nothing): .xlsx is a ZIP container; .csv/.json are UTF-8 text. */
function contentProblem(bytes: Uint8Array, fmt: ImportFormat): string | null {
  if (fmt === 'xlsx') {
    const kind = detectFileKind(bytes);
    return kind === 'xlsx' || kind === 'zip'
      ? null
      : 'Tệp có đuôi .xlsx nhưng nội dung không phải bảng tính Excel (.xlsx).';
  }
  if (bytes.includes(0))
    return `Tệp có đuôi .${fmt} nhưng nội dung không phải văn bản (có byte 0): có thể là tệp nhị phân bị đổi tên.`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return `Tệp .${fmt} phải được lưu với bảng mã UTF-8 (trong Excel: "Lưu thành" → "CSV UTF-8").`;
  }
  return null;
}

function ErrorReport(p: { errors: ImportError[] }) {
  const sorted = [...p.errors].sort((a, b) => a.row - b.row);
  const rows = new Set(sorted.map((e) => e.row)).size;
  return (
    <>
      <Flash kind="error">
        Không nhập gì: {formatNumber(sorted.length)} lỗi ở {formatNumber(rows)} dòng. Sửa tệp rồi tải lên lại (tệp có
        dòng lỗi thì không dòng nào được nhập).
      </Flash>
      <Table
        caption="Lỗi theo dòng (dòng 1 là dòng tiêu đề)"
        head={['Dòng', 'Lỗi']}
        rows={sorted.slice(0, 1000).map((e) => [String(e.row), e.message])}
      />
      {sorted.length > 1000 && <p>… và {formatNumber(sorted.length - 1000)} lỗi khác.</p>}
    </>
  );
}

export function importRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const pending = new Map<string, PendingImport>();
  const prune = () => {
    const now = clock().getTime();
    for (const [k, v] of pending) if (v.expires <= now) pending.delete(k);
  };
  const auditBase = (c: Context<AppEnv>) => {
    const actor = c.get('principal');
    return {
      at: clock(),
      actor: actor && { kind: actor.kind, id: actor.id, name: actor.name },
      targetType: 'import',
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
    };
  };
  const audit = (c: Context<AppEnv>, action: string, details: Record<string, unknown>) =>
    writeAudit(db, { ...auditBase(c), action, details });

  const UploadForm = () => (
    <form method="post" action="/admin/import" enctype="multipart/form-data">
      <div class="field">
        <label for="file">Tệp dữ liệu (.csv, .xlsx hoặc .json, tối đa {MAX_IMPORT_BYTES / 1048576} MB)</label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
        />
      </div>
      <button type="submit">Kiểm tra tệp</button>
    </form>
  );

  const Page = (p: { c: Context<AppEnv>; children?: Child }) => (
    <Layout title="Nhập nhiệm vụ từ tệp" user={p.c.get('user')} current="import">
      {p.children}
    </Layout>
  );

  app.get('/import', requirePermission('task.import'), (c) => {
    const msg = flashFromQuery(c);
    return c.html(
      <Page c={c}>
        {msg && <Flash kind="ok">{msg}</Flash>}
        <p>
          Mỗi dòng là một nhiệm vụ cùng lịch sử của nó (giao, gia hạn, báo cáo, xác nhận, thu hồi). Bước 1 chỉ kiểm tra
          và báo lỗi theo từng dòng, chưa ghi gì; bước 2 xác nhận nhập. Tệp có bất kỳ dòng lỗi nào thì không dòng nào
          được nhập.
        </p>
        <p>
          Tệp mẫu: <a href="/admin/import/example.csv">import-example.csv</a> ·{' '}
          <a href="/admin/import/example.xlsx">import-example.xlsx</a> (cùng nội dung; tệp JSON là một mảng đối tượng
          với các khoá như tên cột).
        </p>
        <UploadForm />
        <Table
          caption="Các cột (tên tiếng Việt hoặc khoá tiếng Anh; không phân biệt dấu, hoa thường)"
          head={['Cột', 'Khoá', 'Bắt buộc', 'Tên khác được chấp nhận']}
          rows={IMPORT_FIELDS.map((f) => [
            IMPORT_COLUMNS[f].vi[0]!,
            <code>{f}</code>,
            IMPORT_COLUMNS[f].required ? 'Có' : '',
            IMPORT_COLUMNS[f].vi.slice(1).join(', '),
          ])}
        />
      </Page>,
    );
  });

  for (const [name, type] of [
    ['example.csv', 'text/csv; charset=utf-8'],
    ['example.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ] as const) {
    app.get(`/import/${name}`, requirePermission('task.import'), (c) => {
      const bytes = readFileSync(`${EXAMPLES_DIR}import-${name}`);
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': type,
        'Content-Disposition': `attachment; filename="import-${name}"`,
      });
    });
  }

  app.post('/import', requirePermission('task.import'), async (c) => {
    const body = await readForm(c);
    const file = body.file;
    const refuse = (message: string) =>
      c.html(
        <Page c={c}>
          <Flash kind="error">{message}</Flash>
          <UploadForm />
        </Page>,
        422,
      );
    if (!(file instanceof Blob) || file.size === 0) return refuse('Chưa chọn tệp, hoặc tệp rỗng.');
    const name = typeof (file as File).name === 'string' ? (file as File).name.normalize('NFC').slice(-200) : '';
    const fmt = formatOf(name);
    if (!fmt) return refuse('Chỉ nhận tệp .csv, .xlsx hoặc .json.');
    if (file.size > MAX_IMPORT_BYTES) return refuse(`Tệp quá lớn; tối đa ${MAX_IMPORT_BYTES / 1048576} MB.`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const problem = contentProblem(bytes, fmt);
    if (problem) return refuse(problem);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const user = c.get('user')!;
    const parsed = await parseImportFile(bytes, fmt);
    const result = parsed.errors.some((e) => e.row === 1)
      ? { valid: 0, documentsCreated: 0, errors: parsed.errors }
      : await runImportJob(db, {
          rows: parsed.rows,
          options: { dryRun: true, actorUserId: user.id, today: today(clock()) },
          parseErrors: parsed.errors,
        });
    audit(c, 'task.import_check', {
      fileName: name,
      sha256,
      rows: parsed.rows.length,
      valid: result.valid,
      errors: result.errors.length,
    });
    if (result.errors.length > 0) {
      return c.html(
        <Page c={c}>
          <p>
            Tệp <strong>{name}</strong>: {formatNumber(parsed.rows.length)} dòng nhiệm vụ.
          </p>
          <ErrorReport errors={result.errors} />
          <UploadForm />
        </Page>,
        422,
      );
    }
    prune();
    for (const [k, v] of pending) if (v.userId === user.id) pending.delete(k); // one pending import per person
    if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
    const token = randomBytes(24).toString('base64url');
    pending.set(token, {
      userId: user.id,
      expires: clock().getTime() + IMPORT_TOKEN_TTL_MS,
      fileName: name,
      sha256,
      rows: parsed.rows,
      valid: result.valid,
      documentsCreated: result.documentsCreated,
    });
    const preview = parsed.rows.slice(0, 20);
    return c.html(
      <Page c={c}>
        <Flash kind="ok">
          Tệp <strong>{name}</strong> hợp lệ: {formatNumber(result.valid)} nhiệm vụ sẽ được nhập,{' '}
          {formatNumber(result.documentsCreated)} văn bản chỉ đạo mới sẽ được tạo. Chưa có gì được ghi.
        </Flash>
        <Table
          caption={preview.length < parsed.rows.length ? `${preview.length} dòng đầu tiên` : 'Các dòng sẽ nhập'}
          head={['Dòng', 'Mã', 'Tên nhiệm vụ', 'Đơn vị chủ trì', 'Ngày giao', 'Thời hạn']}
          rows={preview.map((r) => [
            String(r.row),
            r.values.code ?? '(tự cấp)',
            r.values.title ?? '',
            r.values.leadAgency ?? '',
            r.values.assignedOn ?? '',
            r.values.deadline ?? 'Không thời hạn',
          ])}
        />
        <form method="post" action="/admin/import/confirm">
          <input type="hidden" name="token" value={token} />
          <p class="hint">
            Xác nhận trong vòng 15 phút. Khi nhập, hệ thống kiểm tra lại toàn bộ tệp với dữ liệu hiện tại.
          </p>
          <button type="submit">Xác nhận nhập {formatNumber(result.valid)} nhiệm vụ</button>
        </form>
        <p>
          <a href="/admin/import">Huỷ, chọn tệp khác</a>
        </p>
      </Page>,
    );
  });

  app.post('/import/confirm', requirePermission('task.import'), async (c) => {
    const body = await readForm(c);
    const token = field(body, 'token', 64);
    prune();
    const user = c.get('user')!;
    const p = pending.get(token);
    if (!p || p.userId !== user.id) {
      return c.html(
        <Page c={c}>
          <Flash kind="error">
            Phiên nhập đã hết hạn hoặc không hợp lệ (mỗi lần kiểm tra chỉ xác nhận được một lần, trong 15 phút). Hãy tải
            tệp lên lại.
          </Flash>
          <UploadForm />
        </Page>,
        409,
      );
    }
    pending.delete(token);
    // the import and its audit row commit together, in a worker thread (admin/import/run-job.ts)
    const result = await runImportJob(db, {
      rows: p.rows,
      options: {
        actorUserId: user.id,
        today: today(clock()),
        at: clock(),
        source: { fileName: p.fileName, sha256: p.sha256 },
      },
      audit: { ...auditBase(c), details: { fileName: p.fileName, sha256: p.sha256 } },
    });
    if (result.errors.length > 0) {
      return c.html(
        <Page c={c}>
          <p>Dữ liệu đã thay đổi kể từ lúc kiểm tra tệp {p.fileName}:</p>
          <ErrorReport errors={result.errors} />
          <UploadForm />
        </Page>,
        422,
      );
    }
    return c.redirect('/admin/import?msg=import_done', 303);
  });

  return app;
}
