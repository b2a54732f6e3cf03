/**
 * The publish page of the working group / office lead ('publication.manage'; DESIGN.md §6, issue 5):
 * preview a period's numbers as of a cutoff (nothing written), publish it (a republication is a correction and
 * needs a note — đính chính), start a site build in the background and watch it, see the history of publications,
 * builds and releases, and roll the public site back one release. Everything goes through admin/publication.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import {
  BuildError,
  isBuildRunning,
  listBuilds,
  listPublications,
  listReleases,
  previewSnapshot,
  publishPeriod,
  PublishError,
  rollbackSite,
  type Snapshot,
} from '../publication/index.ts';
import type { PublicCounts } from '../publication/schema.ts';
import { latestRevision } from '../publication/publish.ts';
import { lastBackgroundBuild, siteBuildRoot, siteRootProblem, startBackgroundBuild } from '../jobs/site-rebuild.ts';
import { addMonths, endOfMonth, formatDateTimeVi, formatDateVi, parseDateInput, today } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../demo/summary.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash, Table } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

type Errors = Record<string, string>;

const BUILD_STATUS: Record<string, string> = { running: 'Đang dựng', succeeded: 'Thành công', failed: 'Thất bại' };
const TRIGGERS: Record<string, string> = {
  admin: 'Trang quản trị',
  schedule: 'Theo lịch',
  cli: 'Dòng lệnh',
  bench: 'Đo hiệu năng',
  test: 'Kiểm thử',
};

/** 'YYYY-MM' or 'MM/YYYY' → 'YYYY-MM', or null. */
export function parsePeriodInput(s: string): string | null {
  const t = s.trim();
  let m = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (m) return Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]!.padStart(2, '0')}` : null;
  m = /^(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? `${m[2]}-${m[1]!.padStart(2, '0')}` : null;
  return null;
}

function CountsTable(p: { caption: string; rows: Array<{ name: string; counts: PublicCounts }> }) {
  return (
    <Table
      caption={p.caption}
      head={[
        'Đơn vị',
        'Tổng số',
        'Hoàn thành đúng hạn',
        'Hoàn thành quá hạn',
        'Đang thực hiện trong hạn',
        'Đang thực hiện quá hạn',
        'Không thời hạn',
        'Đã đến hạn',
        'Tỷ lệ đúng hạn',
      ]}
      rows={p.rows.map((r) => [
        r.name,
        formatNumber(r.counts.total),
        formatNumber(r.counts.completedOnTime),
        formatNumber(r.counts.completedLate),
        formatNumber(r.counts.inProgress),
        formatNumber(r.counts.overdue),
        formatNumber(r.counts.noDeadline),
        formatNumber(r.counts.due),
        formatRate(r.counts.onTimeRate),
      ])}
    />
  );
}

export function publishRoutes(deps: AppDeps) {
  const { db, clock, env } = deps;
  const siteRoot = siteBuildRoot(env);
  const app = new Hono<AppEnv>();
  const audit = (
    c: Context<AppEnv>,
    action: string,
    targetId: string | number | null,
    details: Record<string, unknown>,
  ) =>
    writeAudit(db, {
      at: clock(),
      actor: c.get('principal'),
      action,
      targetType: 'publication',
      targetId,
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
      details,
    });

  /** Default period: the previous month, cut off at its last day. */
  const defaults = () => {
    const t = today(clock());
    const period = addMonths(`${t.slice(0, 7)}-01`, -1).slice(0, 7);
    return { period, asOf: endOfMonth(period) };
  };

  const PreviewForm = (p: { period: string; asOf: string; errors: Errors }) => (
    <form method="get" action="/admin/publish/preview" class="filters">
      <Field
        name="period"
        label="Kỳ công bố (mm/yyyy)"
        value={p.period}
        error={p.errors.period}
        required
        maxlength={7}
        autocomplete="off"
      />
      <Field
        name="as_of"
        label="Số liệu tính đến ngày (dd/mm/yyyy)"
        value={p.asOf}
        error={p.errors.as_of}
        required
        maxlength={10}
        autocomplete="off"
      />
      <div class="field">
        <button type="submit">Xem trước số liệu</button>
      </div>
    </form>
  );

  app.get('/publish', requirePermission('publication.manage'), (c) => {
    const d = defaults();
    const pubs = listPublications(db);
    const builds = listBuilds(db, 15);
    const releases = listReleases(db, siteRoot);
    const running = isBuildRunning(siteRoot);
    const msg = flashFromQuery(c);
    const canRollback =
      releases.some((r) => r.current) &&
      releases.some((r) => !r.current && r.build?.status === 'succeeded' && r.id < releases.find((x) => x.current)!.id);
    return c.html(
      <Layout title="Công bố số liệu" user={c.get('user')} current="publish">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <h2>1. Xem trước và công bố một kỳ</h2>
        <p class="hint">
          Xem trước không ghi gì. Số liệu đã công bố không thay đổi; công bố lại cùng kỳ tạo bản đính chính có ghi chú.
        </p>
        <PreviewForm
          period={`${d.period.slice(5, 7)}/${d.period.slice(0, 4)}`}
          asOf={formatDateVi(d.asOf)}
          errors={{}}
        />

        <h2>2. Trang công khai</h2>
        {running ? (
          <p>
            Đang dựng trang công khai. <a href="/admin/publish/build">Xem tiến độ</a>
          </p>
        ) : (
          <form method="post" action="/admin/publish/build">
            <p class="hint">
              Dựng lại trang công khai từ mọi kỳ đã công bố (khoảng một phút). Trang đang chạy chỉ được thay khi bản mới
              dựng xong và đạt kiểm tra.
            </p>
            <button type="submit">Dựng lại trang công khai</button>
          </form>
        )}
        <Table
          caption="Các bản trang công khai (giữ 5 bản gần nhất)"
          head={['Bản', 'Trạng thái', 'Số trang', 'Dựng lúc']}
          rows={releases.map((r) => [
            r.id,
            r.current ? 'Đang phục vụ' : r.build ? (BUILD_STATUS[r.build.status] ?? r.build.status) : '',
            r.build?.pages != null ? formatNumber(r.build.pages) : '',
            r.build ? formatDateTimeVi(r.build.started_at) : '',
          ])}
          empty="Chưa có bản trang công khai nào."
        />
        {canRollback && (
          <form method="post" action="/admin/publish/rollback">
            <button type="submit" class="secondary">
              Quay lại bản trước
            </button>
          </form>
        )}

        <h2>3. Lịch sử công bố</h2>
        <Table
          caption={`${pubs.length} bản công bố`}
          head={[
            'Kỳ',
            'Bản',
            'Số liệu đến ngày',
            'Số nhiệm vụ công khai',
            'Ghi chú đính chính',
            'Công bố lúc',
            'SHA-256',
          ]}
          rows={pubs.map((p) => [
            `${p.period.slice(5, 7)}/${p.period.slice(0, 4)}`,
            String(p.revision),
            formatDateVi(p.as_of),
            formatNumber(p.task_count),
            p.note,
            formatDateTimeVi(p.created_at),
            <code>{p.sha256.slice(0, 12)}…</code>,
          ])}
          empty="Chưa công bố kỳ nào."
        />

        <h2>4. Lịch sử dựng trang</h2>
        <Table
          caption="15 lần dựng gần nhất"
          head={['Bắt đầu', 'Nguồn', 'Trạng thái', 'Số trang', 'Thời gian', 'Lỗi']}
          rows={builds.map((b) => [
            formatDateTimeVi(b.started_at),
            TRIGGERS[b.trigger] ?? b.trigger,
            BUILD_STATUS[b.status] ?? b.status,
            b.pages != null ? formatNumber(b.pages) : '',
            b.duration_ms != null ? `${(b.duration_ms / 1000).toFixed(1)} s` : '',
            (b.error ?? '').slice(0, 300),
          ])}
          empty="Chưa dựng trang lần nào."
        />
      </Layout>,
    );
  });

  const PreviewPage = (p: {
    c: Context<AppEnv>;
    periodInput: string;
    asOfInput: string;
    snap: Snapshot | null;
    errors: Errors;
    note?: string;
  }) => {
    const s = p.snap;
    const existing = s ? latestRevision(db, s.period) : undefined;
    return (
      <Layout title="Xem trước số liệu công bố" user={p.c.get('user')} current="publish">
        <ErrorSummary errors={p.errors} />
        <PreviewForm period={p.periodInput} asOf={p.asOfInput} errors={p.errors} />
        {s && (
          <>
            <h2>
              Kỳ {s.period.slice(5, 7)}/{s.period.slice(0, 4)} — số liệu tính đến ngày {formatDateVi(s.asOf)}
            </h2>
            <p>
              {formatNumber(s.totals.total)} nhiệm vụ công khai (nhiệm vụ mật không được tính trong số liệu công khai);{' '}
              {formatNumber(s.tasks.length)} trang nhiệm vụ. Tỷ lệ đúng hạn {formatRate(s.totals.onTimeRate)} trên{' '}
              {formatNumber(s.totals.due)} nhiệm vụ đã đến hạn hoặc đã hoàn thành.
            </p>
            <CountsTable caption="Toàn tỉnh" rows={[{ name: 'Tổng số', counts: s.totals }]} />
            <CountsTable
              caption={`Theo đơn vị (${s.agencies.length})`}
              rows={s.agencies.map((a) => ({ name: `${a.name} (${a.code})`, counts: a.counts }))}
            />
            <h2>Công bố</h2>
            {existing && (
              <Flash kind="info">
                Kỳ này đã công bố bản {existing.revision} (số liệu đến ngày {formatDateVi(existing.as_of)}). Công bố lại
                là một bản đính chính: cần ghi rõ nội dung đính chính; bản cũ vẫn được lưu và hiển thị.
              </Flash>
            )}
            <form method="post" action="/admin/publish">
              <input type="hidden" name="period" value={s.period} />
              <input type="hidden" name="as_of" value={s.asOf} />
              <div class={`field${p.errors.note ? ' has-error' : ''}`}>
                <label for="note">
                  {existing ? 'Nội dung đính chính (bắt buộc)' : 'Ghi chú (không bắt buộc với lần công bố đầu)'}
                </label>
                {p.errors.note && <p class="error-text">{p.errors.note}</p>}
                <textarea id="note" name="note" rows={3} maxlength={2000} required={existing ? true : undefined}>
                  {p.note ?? ''}
                </textarea>
              </div>
              <button type="submit">
                {existing ? `Công bố bản đính chính (bản ${existing.revision + 1})` : 'Công bố kỳ này'}
              </button>
            </form>
          </>
        )}
      </Layout>
    );
  };

  app.get('/publish/preview', requirePermission('publication.manage'), (c) => {
    const periodInput = (c.req.query('period') ?? '').slice(0, 20);
    const asOfInput = (c.req.query('as_of') ?? '').slice(0, 20);
    const errors: Errors = {};
    const period = parsePeriodInput(periodInput);
    const asOf = parseDateInput(asOfInput);
    if (!period) errors.period = 'Kỳ công bố không hợp lệ; nhập theo dạng mm/yyyy, ví dụ 03/2026.';
    if (!asOf) errors.as_of = 'Ngày chốt số liệu không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 31/03/2026.';
    let snap: Snapshot | null = null;
    if (period && asOf) {
      try {
        snap = previewSnapshot(db, period, asOf, clock());
      } catch (e) {
        if (!(e instanceof PublishError)) throw e;
        errors.as_of = e.message;
      }
    }
    return c.html(
      <PreviewPage c={c} periodInput={periodInput} asOfInput={asOfInput} snap={snap} errors={errors} />,
      snap ? 200 : 422,
    );
  });

  app.post('/publish', requirePermission('publication.manage'), async (c) => {
    const body = await readForm(c);
    const periodInput = field(body, 'period', 20);
    const asOfInput = field(body, 'as_of', 20);
    const note = field(body, 'note', 2100);
    const period = parsePeriodInput(periodInput);
    const asOf = parseDateInput(asOfInput);
    const again = (errors: Errors) => {
      let snap: Snapshot | null = null;
      if (period && asOf) {
        try {
          snap = previewSnapshot(db, period, asOf, clock());
        } catch {
          snap = null;
        }
      }
      return c.html(
        <PreviewPage c={c} periodInput={periodInput} asOfInput={asOfInput} snap={snap} errors={errors} note={note} />,
        422,
      );
    };
    if (!period || !asOf) return again({ period: 'Kỳ công bố hoặc ngày chốt số liệu không hợp lệ.' });
    let result;
    try {
      result = publishPeriod(db, {
        period,
        asOf,
        note,
        userId: c.get('user')!.id,
        now: clock(),
        // the audit row commits with the publication (publishPeriod's short insert transaction)
        afterInsert: (r) =>
          audit(c, r.revision > 1 ? 'publication.correct' : 'publication.publish', r.id, {
            period: r.period,
            revision: r.revision,
            asOf: r.asOf,
            sha256: r.sha256,
            taskCount: r.taskCount,
            ...(note ? { note } : {}),
          }),
      });
    } catch (e) {
      if (e instanceof PublishError) return again({ note: e.message });
      throw e;
    }
    return c.redirect(
      `/admin/publish?msg=${result.revision > 1 ? 'publication_corrected' : 'publication_published'}`,
      303,
    );
  });

  app.post('/publish/build', requirePermission('publication.manage'), (c) => {
    const who = c.get('principal');
    const problem = siteRootProblem(env);
    if (problem) return c.html(<BuildPage c={c} error={problem} />, 409);
    try {
      startBackgroundBuild({
        db,
        siteRoot,
        trigger: 'admin',
        onFinish: (s) =>
          writeAudit(db, {
            at: new Date(),
            actor: who,
            action: s.error ? 'site.build_failed' : 'site.build_succeeded',
            targetType: 'site_release',
            targetId: s.releaseId,
            details: s.error ? { error: s.error.slice(0, 1000) } : { pages: s.pages },
          }),
      });
    } catch (e) {
      if (e instanceof BuildError) {
        audit(c, 'site.build_refused', null, { reason: e.message });
        return c.html(<BuildPage c={c} error={e.message} />, 409);
      }
      throw e;
    }
    audit(c, 'site.build_start', null, {});
    return c.redirect('/admin/publish/build?msg=build_started', 303);
  });

  const BuildPage = (p: { c: Context<AppEnv>; error?: string }) => {
    const state = lastBackgroundBuild(siteRoot);
    const runningElsewhere = !state?.running && isBuildRunning(siteRoot);
    const running = !!state?.running || runningElsewhere;
    const msg = flashFromQuery(p.c);
    const last = state?.progress.at(-1);
    return (
      <Layout
        title="Dựng trang công khai"
        user={p.c.get('user')}
        current="publish"
        refreshSeconds={running ? 3 : undefined}
      >
        {msg && <Flash kind="ok">{msg}</Flash>}
        {p.error && <Flash kind="error">{p.error}</Flash>}
        {runningElsewhere && (
          <p>Một lần dựng trang khác (dòng lệnh hoặc tiến trình khác) đang chạy. Trang này tự làm mới sau 3 giây.</p>
        )}
        {state ? (
          <>
            <p role="status">
              {state.running ? (
                <>
                  <strong>Đang dựng</strong> (bắt đầu {formatDateTimeVi(state.startedAt)}):{' '}
                  {last?.message ?? 'đang chuẩn bị…'}
                  {last?.total ? (
                    <>
                      {' '}
                      <progress max={last.total} value={last.done ?? 0}>
                        {last.done ?? 0}/{last.total}
                      </progress>
                    </>
                  ) : null}{' '}
                  Trang tự làm mới sau 3 giây.
                </>
              ) : state.error ? (
                <>
                  <strong>Lần dựng lúc {formatDateTimeVi(state.startedAt)} thất bại</strong>; trang công khai vẫn giữ
                  bản đang chạy.
                </>
              ) : (
                <>
                  <strong>Đã dựng xong</strong> lúc {formatDateTimeVi(state.finishedAt!)}:{' '}
                  {formatNumber(state.pages ?? 0)} trang, bản {state.releaseId} đang phục vụ.
                </>
              )}
            </p>
            {state.error && <pre class="build-log">{state.error}</pre>}
            <ol class="build-log">
              {state.progress.map((x) => (
                <li>{x.message}</li>
              ))}
            </ol>
          </>
        ) : (
          !runningElsewhere && <p>Chưa có lần dựng nào được bắt đầu từ trang quản trị kể từ khi máy chủ khởi động.</p>
        )}
        <p>
          <a href="/admin/publish">Về trang công bố</a>
        </p>
      </Layout>
    );
  };

  app.get('/publish/build', requirePermission('publication.manage'), (c) => c.html(<BuildPage c={c} />));

  app.post('/publish/rollback', requirePermission('publication.manage'), (c) => {
    const problem = siteRootProblem(env);
    if (problem) return c.html(<BuildPage c={c} error={problem} />, 409);
    let r: { from: string; to: string };
    try {
      r = rollbackSite(siteRoot, db);
    } catch (e) {
      if (e instanceof BuildError) return c.html(<BuildPage c={c} error={e.message} />, 409);
      throw e;
    }
    audit(c, 'site.rollback', r.to, r);
    return c.redirect('/admin/publish?msg=site_rolled_back', 303);
  });

  return app;
}
