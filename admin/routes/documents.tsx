/**
 * Directive documents (issue 4): list, page with its tasks, and the entry form that records a document with its
 * file and N tasks in one transaction (admin/domain/documents.ts createDocumentWithTasks).
 *
 * Without JavaScript the form offers three task blocks and a "Thêm nhiệm vụ" submit button that re-renders it with
 * one more (keeping what was typed; browsers never refill a file input, so an accepted file is held on the server
 * under a token the form carries: admin/files/held-uploads.ts);
 * admin/static/document-form.js adds blocks in place. Blank blocks are ignored. Everything is validated before
 * anything is written; errors are shown per field with the input kept; nothing is written on any error.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { denyAccess, isAgencyRole, requirePermission } from '../auth/permissions.ts';
import { documentTasks, newTaskChoices } from '../domain/document-view.ts';
import { agencyNames } from '../domain/task-view.ts';
import {
  blankRawTask,
  createDocumentWithTasks,
  getDocument,
  listDocuments,
  MAX_TASKS_PER_DOCUMENT,
  validateDocumentInput,
  type RawDocument,
  type RawTask,
} from '../domain/documents.ts';
import { DomainError } from '../domain/rules.ts';
import { CATEGORY_LABELS, classifyAsOf } from '../domain/status.ts';
import { factsFromRow } from '../domain/tasks.ts';
import { formatDateVi, today } from '../domain/dates.ts';
import { acceptUpload, filesOf, formatSize, UploadError, type AcceptedUpload } from '../files/store.ts';
import { Layout } from '../views/layout.tsx';
import { DocumentForm, documentFormOptions, type HeldFile } from '../views/document-form.tsx';
import { heldUpload, holdUpload, releaseHeldUpload } from '../files/held-uploads.ts';
import { Flash, Pager, Table } from '../views/components.tsx';
import { flashFromQuery, readForm, type FormBody } from './form-helpers.ts';

const INITIAL_BLOCKS = 3;
const PAGE_SIZE = 50;

function str(body: FormBody, name: string, max: number): string {
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
}

function strs(body: FormBody, name: string): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list
    .filter((x): x is string => typeof x === 'string')
    .slice(0, 200)
    .map((s) => s.trim().slice(0, 12));
}

/** The raw form (strings as typed), task blocks t0…t{n-1}. */
export function rawDocumentFrom(body: FormBody): RawDocument {
  const n = Math.max(
    1,
    Math.min(MAX_TASKS_PER_DOCUMENT + 1, Number.parseInt(str(body, 'task_count', 4), 10) || INITIAL_BLOCKS),
  );
  const tasks: RawTask[] = [];
  for (let i = 0; i < n; i++) {
    const k = (f: string) => `t${i}_${f}`;
    tasks.push({
      title: str(body, k('title'), 600),
      content: str(body, k('content'), 10_001),
      lead: str(body, k('lead'), 12).trim(),
      coordinators: strs(body, k('coordinators')),
      leader: str(body, k('leader'), 12).trim(),
      sector: str(body, k('sector'), 12).trim(),
      deadline: str(body, k('deadline'), 20),
      noDeadline: str(body, k('no_deadline'), 5) === '1',
      noDeadlineReason: str(body, k('no_deadline_reason'), 1001),
      starred: str(body, k('starred'), 5) === '1',
      confidential: str(body, k('confidential'), 5) === '1',
    });
  }
  return {
    number: str(body, 'number', 60),
    docType: str(body, 'doc_type', 40),
    issuedOn: str(body, 'issued_on', 20),
    signer: str(body, 'signer', 12).trim(),
    summary: str(body, 'summary', 2001),
    tasks,
  };
}

export function documentsRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  const formPage = (
    c: Context<AppEnv>,
    raw: RawDocument,
    errors: Record<string, string>,
    status: 200 | 422 = 200,
    notice?: string,
    held?: HeldFile,
  ) =>
    c.html(
      <Layout title="Nhập văn bản chỉ đạo" user={c.get('user')} current="documents">
        <DocumentForm
          raw={raw}
          errors={errors}
          opts={documentFormOptions(newTaskChoices(db))}
          notice={notice}
          held={held}
        />
        <script src="/admin/static/document-form.js" defer></script>
      </Layout>,
      status,
    );

  app.get('/documents/new', requirePermission('document.create'), (c) => {
    const raw: RawDocument = {
      number: '',
      docType: '',
      issuedOn: '',
      signer: '',
      summary: '',
      tasks: Array.from({ length: INITIAL_BLOCKS }, blankRawTask),
    };
    return formPage(c, raw, {});
  });

  app.post('/documents/new', requirePermission('document.create'), async (c) => {
    const body = await readForm(c);
    const raw = rawDocumentFrom(body);
    const now = deps.clock();
    const userId = c.get('principal')!.id;
    const held = { env: deps.env, now };
    const heldToken = str(body, 'held_file', 80).trim();
    // the document's file: one chosen now, else the one held from the previous submission (held-uploads.ts)
    const files = filesOf(body, 'file');
    let file: AcceptedUpload | null = null;
    let fileError: string | undefined;
    try {
      if (files.length > 1) fileError = 'Chỉ chọn một tệp văn bản.';
      else if (files.length === 1) file = await acceptUpload(files[0], { maxBytes: deps.env.uploadMaxBytes });
      else if (heldToken && str(body, 'drop_held', 2) !== '1') file = await heldUpload(held, userId, heldToken);
    } catch (e) {
      if (!(e instanceof UploadError)) throw e;
      fileError = e.message;
    }
    // the form comes back: keep the accepted file for the next submission
    const again = (errors: Record<string, string>, status: 200 | 422, notice?: string) => {
      let keep: HeldFile | undefined;
      if (file) {
        const reuse = files.length === 0 && heldToken !== '';
        if (!reuse && heldToken) releaseHeldUpload(deps.env, heldToken);
        keep = { token: reuse ? heldToken : holdUpload(held, userId, file), name: file.originalName };
      }
      return formPage(c, raw, errors, status, notice, keep);
    };
    if (str(body, 'add_task', 2) === '1') {
      if (raw.tasks.length < MAX_TASKS_PER_DOCUMENT) raw.tasks.push(blankRawTask());
      return again(fileError ? { file: fileError } : {}, fileError ? 422 : 200, 'Đã thêm một ô nhiệm vụ.');
    }
    raw.tasks = raw.tasks.slice(0, MAX_TASKS_PER_DOCUMENT);
    const { errors, value } = validateDocumentInput(db, raw, today(now));
    if (fileError) errors.file = fileError;
    if (!value || Object.keys(errors).length > 0) return again(errors, 422);
    let created;
    try {
      created = createDocumentWithTasks({ db, env: deps.env, now }, c.get('principal')!, value, file, {
        ip: c.get('clientIp'),
        userAgent: c.req.header('user-agent') ?? '',
      });
    } catch (e) {
      // something changed between validation and writing (e.g. an agency merged meanwhile): nothing was written
      if (e instanceof DomainError && e.status !== 403) return again({ number: e.message }, 422);
      throw e;
    }
    if (heldToken) releaseHeldUpload(deps.env, heldToken);
    return c.redirect(`/admin/documents/${created.documentId}?msg=document_created`, 303);
  });

  app.get('/documents', requirePermission('task.read'), (c) => {
    const page = Math.max(1, Math.min(100_000, Number(c.req.query('page')) || 1));
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const { rows, total } = listDocuments(db, c.get('principal')!, { page, pageSize: PAGE_SIZE, q });
    const user = c.get('user');
    return c.html(
      <Layout title="Văn bản chỉ đạo" user={user} current="documents">
        {user && user.role === 'specialist' && (
          <p>
            <a class="button" href="/admin/documents/new">
              Nhập văn bản chỉ đạo
            </a>
          </p>
        )}
        <form method="get" action="/admin/documents" class="filters" role="search">
          <div class="field">
            <label for="q">Số, ký hiệu hoặc trích yếu</label>
            <input id="q" name="q" type="search" value={q} maxlength={100} />
          </div>
          <button type="submit" class="secondary">
            Tìm
          </button>
        </form>
        <Table
          caption={`${total} văn bản`}
          empty="Chưa có văn bản nào."
          head={['Số, ký hiệu', 'Loại', 'Ngày ban hành', 'Người ký', 'Trích yếu', 'Nhiệm vụ']}
          rows={rows.map((d) => [
            <a href={`/admin/documents/${d.id}`}>{d.number}</a>,
            d.doc_type,
            formatDateVi(d.issued_on),
            d.signer_name ?? '',
            d.summary,
            String(d.task_count),
          ])}
        />
        <Pager page={page} pageSize={PAGE_SIZE} total={total} baseUrl="/admin/documents" query={q ? { q } : {}} />
      </Layout>,
    );
  });

  app.get('/documents/:id{[0-9]+}', requirePermission('task.read'), (c) => {
    const id = Number(c.req.param('id'));
    const doc = Number.isSafeInteger(id) ? getDocument(db, id) : undefined;
    if (!doc) throw new DomainError('document_not_found', 'Không tìm thấy văn bản.', 404);
    const principal = c.get('principal')!;
    const tasks = documentTasks(db, doc.id, principal);
    // an agency user sees a document only through a task of its own; the Office roles see every document
    if (tasks.length === 0 && isAgencyRole(principal.role))
      denyAccess(c, 'task.read', { type: 'document', id: doc.id });
    const asOf = today(deps.clock());
    const agencies = agencyNames(db);
    const noDeadline = tasks.filter((t) => t.deadline === null).length;
    const msg = flashFromQuery(c);
    return c.html(
      <Layout title={`${doc.doc_type} số ${doc.number}`} user={c.get('user')} current="documents">
        {msg && <Flash kind="ok">{msg}</Flash>}
        {msg && noDeadline > 0 && (
          <Flash kind="info">
            Lưu ý: {noDeadline} nhiệm vụ không có thời hạn. Chủ tịch UBND tỉnh chỉ đạo Văn phòng hạn chế giao nhiệm vụ
            không thời hạn; các nhiệm vụ này sẽ được đôn đốc định kỳ 3 tháng một lần.
          </Flash>
        )}
        <dl>
          <dt>Loại văn bản</dt>
          <dd>{doc.doc_type}</dd>
          <dt>Ngày ban hành</dt>
          <dd>{formatDateVi(doc.issued_on)}</dd>
          <dt>Người ký</dt>
          <dd>{doc.signer_name ? `${doc.signer_name} (${doc.signer_title ?? ''})` : ''}</dd>
          <dt>Trích yếu</dt>
          <dd class="prewrap">{doc.summary}</dd>
          <dt>Tệp văn bản</dt>
          <dd>
            {doc.file_id ? (
              <>
                <a href={`/admin/files/${doc.file_id}`} download>
                  {doc.file_name}
                </a>{' '}
                <span class="muted">({formatSize(doc.file_size ?? 0)})</span>
              </>
            ) : (
              'Chưa có'
            )}
          </dd>
        </dl>
        <Table
          caption={`${tasks.length} nhiệm vụ`}
          head={['Mã', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời hạn', `Tình trạng đến ${formatDateVi(asOf)}`]}
          rows={tasks.map((t) => {
            const s = classifyAsOf(factsFromRow(t), asOf);
            return [
              <a href={`/admin/tasks/${t.code}`}>{t.code}</a>,
              <>
                {t.starred ? '★ ' : ''}
                {t.title}
                {t.confidential ? <span class="tag">mật</span> : ''}
              </>,
              agencies.get(t.lead_agency_id) ?? '',
              t.deadline ? formatDateVi(t.deadline) : 'Không thời hạn',
              s.category ? CATEGORY_LABELS[s.category] : t.cancelled_on ? 'Đã thu hồi' : '',
            ];
          })}
        />
      </Layout>,
    );
  });

  return app;
}
