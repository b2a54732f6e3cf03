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
  PublishError,
  rollbackSite,
} from '../publication/index.ts';
import { runPublishJob, type SnapshotPreview } from '../publication/publish-job.ts';
import { latestRevision } from '../publication/publish.ts';
import { lastBackgroundBuild, siteBuildRoot, siteRootProblem, startBackgroundBuild } from '../jobs/site-rebuild.ts';
import { addMonths, endOfMonth, formatDateTimeVi, parseDateInput, today } from '../domain/dates.ts';
import { formatNumber } from '../domain/format.ts';
import { Layout } from '../views/layout.tsx';
import { Flash } from '../views/components.tsx';
import { PreviewPage, PublishOverview, type Errors } from '../views/publish-views.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

/** 'YYYY-MM' or 'MM/YYYY' → 'YYYY-MM', or null. */
export function parsePeriodInput(s: string): string | null {
  const t = s.trim();
  let m = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (m) return Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]!.padStart(2, '0')}` : null;
  m = /^(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? `${m[2]}-${m[1]!.padStart(2, '0')}` : null;
  return null;
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

  const existingOf = (snap: SnapshotPreview | null) => (snap ? latestRevision(db, snap.period) : undefined);

  /** Default period: the previous month, cut off at its last day. */
  const defaults = () => {
    const t = today(clock());
    const period = addMonths(`${t.slice(0, 7)}-01`, -1).slice(0, 7);
    return { period, asOf: endOfMonth(period) };
  };

  app.get('/publish', requirePermission('publication.manage'), (c) => {
    const d = defaults();
    const pubs = listPublications(db);
    const builds = listBuilds(db, 15);
    const releases = listReleases(db, siteRoot);
    const running = isBuildRunning(siteRoot);
    const canRollback =
      releases.some((r) => r.current) &&
      releases.some((r) => !r.current && r.build?.status === 'succeeded' && r.id < releases.find((x) => x.current)!.id);
    return c.html(
      <PublishOverview
        user={c.get('user')}
        flash={flashFromQuery(c)}
        defaults={d}
        publications={pubs}
        builds={builds}
        releases={releases}
        running={running}
        canRollback={canRollback}
      />,
    );
  });

  /** The preview, computed in a worker thread (publish-job.ts): other pages keep being served meanwhile. */
  const preview = async (period: string, asOf: string): Promise<SnapshotPreview> => {
    const r = await runPublishJob(db, { kind: 'preview', period, asOf, now: clock().toISOString() });
    if (r.kind !== 'preview') throw new Error('publish job: expected a preview');
    return r.preview;
  };

  app.get('/publish/preview', requirePermission('publication.manage'), async (c) => {
    const periodInput = (c.req.query('period') ?? '').slice(0, 20);
    const asOfInput = (c.req.query('as_of') ?? '').slice(0, 20);
    const errors: Errors = {};
    const period = parsePeriodInput(periodInput);
    const asOf = parseDateInput(asOfInput);
    if (!period) errors.period = 'Kỳ công bố không hợp lệ; nhập theo dạng mm/yyyy, ví dụ 03/2026.';
    if (!asOf) errors.as_of = 'Ngày chốt số liệu không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 31/03/2026.';
    let snap: SnapshotPreview | null = null;
    if (period && asOf) {
      try {
        snap = await preview(period, asOf);
      } catch (e) {
        if (!(e instanceof PublishError)) throw e;
        errors.as_of = e.message;
      }
    }
    return c.html(
      <PreviewPage
        user={c.get('user')}
        existing={existingOf(snap)}
        periodInput={periodInput}
        asOfInput={asOfInput}
        snap={snap}
        errors={errors}
      />,
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
    const again = async (errors: Errors) => {
      let snap: SnapshotPreview | null = null;
      if (period && asOf) {
        try {
          snap = await preview(period, asOf);
        } catch {
          snap = null;
        }
      }
      return c.html(
        <PreviewPage
          user={c.get('user')}
          existing={existingOf(snap)}
          periodInput={periodInput}
          asOfInput={asOfInput}
          snap={snap}
          errors={errors}
          note={note}
        />,
        422,
      );
    };
    if (!period || !asOf) return await again({ period: 'Kỳ công bố hoặc ngày chốt số liệu không hợp lệ.' });
    let result;
    try {
      // computed and stored in a worker thread, the audit row in the same transaction (publish-job.ts)
      const now = clock();
      const r = await runPublishJob(db, {
        kind: 'publish',
        period,
        asOf,
        note,
        userId: c.get('user')!.id,
        now: now.toISOString(),
        audit: {
          at: now.toISOString(),
          actor: c.get('principal'),
          targetType: 'publication',
          ip: c.get('clientIp'),
          userAgent: c.req.header('user-agent') ?? '',
        },
      });
      if (r.kind !== 'publish') throw new Error('publish job: expected a publication');
      result = r.result;
    } catch (e) {
      if (e instanceof PublishError) return await again({ note: e.message });
      throw e;
    }
    // the next build's open data and share images, made now in a worker of their own (off the request path, after
    // this answer; the next preview does not wait for it): the rebuild that follows only renders and carries pages.
    // A build made meanwhile makes them itself.
    if (!db.memory && !siteRootProblem(env))
      runPublishJob(db, { kind: 'prepare', siteDir: siteRoot, siteUrl: env.siteUrl }).catch((e: Error) =>
        console.error(`Chuẩn bị dữ liệu mở và ảnh chia sẻ cho bản dựng sau không thành công: ${e.message}`),
      );
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
