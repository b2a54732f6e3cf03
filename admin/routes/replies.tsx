/**
 * The right of reply (issue 13, admin/domain/replies.ts): a unit's head (or focal point without a head account)
 * answers its figures of a published period at /admin/y-kien; the office lead approves or declines at
 * /admin/y-kien/xu-ly. Bad input keeps the form with its messages (4xx), writes nothing.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { DomainError } from '../domain/rules.ts';
import {
  decideReply,
  maySubmitReply,
  publishedPeriods,
  repliesForOffice,
  repliesOfAgency,
  submitReply,
} from '../domain/replies.ts';
import {
  acceptUpload,
  filesOf,
  runWithUploads,
  storeUpload,
  UploadError,
  type AcceptedUpload,
} from '../files/store.ts';
import { OfficeRepliesPage, UnitRepliesPage } from '../views/reply-pages.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

const ERROR_FIELD: Record<string, string> = {
  reply_empty: 'body',
  reply_too_long: 'body',
  reply_period: 'period',
  reply_pending: 'period',
  reply_not_allowed: 'period',
};

export function replyRoutes(deps: AppDeps) {
  const { db, env, clock } = deps;
  const app = new Hono<AppEnv>();
  const ctxOf = (c: Context<AppEnv>) => ({
    principal: c.get('principal')!,
    now: clock(),
    ip: c.get('clientIp') ?? '',
    userAgent: c.req.header('user-agent') ?? '',
  });

  const unitPage = (
    c: Context<AppEnv>,
    values: { period: string; body: string },
    errors: Record<string, string>,
    status: 200 | 403 | 409 | 413 | 422 = 200,
  ) => {
    const principal = c.get('principal')!;
    const periods = publishedPeriods(db);
    return c.html(
      <UnitRepliesPage
        user={c.get('user')!}
        periods={periods}
        replies={repliesOfAgency(db, principal.agencyId!)}
        values={{ period: values.period || (periods[0] ?? ''), body: values.body }}
        errors={errors}
        flash={flashFromQuery(c)}
        allowed={maySubmitReply(db, principal)}
      />,
      status,
    );
  };

  app.get('/y-kien', requirePermission('reply.submit'), (c) => unitPage(c, { period: '', body: '' }, {}));

  app.post('/y-kien', requirePermission('reply.submit'), async (c) => {
    const body = await readForm(c);
    const values = { period: field(body, 'period', 10), body: field(body, 'body', 4000, false) };
    const files = filesOf(body, 'file').filter((f) => f instanceof Blob && f.size > 0);
    let upload: AcceptedUpload | null = null;
    if (files.length > 1) return unitPage(c, values, { file: 'Chỉ kèm một tệp PDF.' }, 422);
    if (files.length === 1) {
      try {
        upload = await acceptUpload(files[0], { kinds: ['pdf'], maxBytes: env.uploadMaxBytes });
      } catch (err) {
        if (!(err instanceof UploadError)) throw err;
        return unitPage(c, values, { file: err.message }, 422);
      }
    }
    try {
      runWithUploads(db, (pending) => {
        const fileId = upload ? storeUpload({ db, env }, upload, { actorUserId: c.get('user')!.id, pending }) : null;
        submitReply(db, ctxOf(c), { period: values.period, body: values.body, fileId });
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return unitPage(c, values, { [ERROR_FIELD[err.code] ?? 'body']: err.message }, err.status as 403 | 409 | 422);
    }
    return c.redirect('/admin/y-kien?msg=reply_submitted', 303);
  });

  const officePage = (c: Context<AppEnv>, errors: Record<string, string>, status: 200 | 404 | 409 | 422 = 200) => {
    const { pending, decided } = repliesForOffice(db);
    return c.html(
      <OfficeRepliesPage
        user={c.get('user')!}
        pending={pending}
        decided={decided}
        errors={errors}
        flash={flashFromQuery(c)}
      />,
      status,
    );
  };

  app.get('/y-kien/xu-ly', requirePermission('reply.decide'), (c) => officePage(c, {}));

  for (const [path, approve] of [
    ['dong-y', true],
    ['tu-choi', false],
  ] as const) {
    app.post(`/y-kien/xu-ly/:id/${path}`, requirePermission('reply.decide'), async (c) => {
      const id = Number(c.req.param('id'));
      const body = await readForm(c);
      if (!Number.isSafeInteger(id) || id <= 0) return officePage(c, { reply: 'Mã ý kiến không hợp lệ.' }, 404);
      try {
        decideReply(db, ctxOf(c), { id, approve, reason: field(body, 'reason', 2000) });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return officePage(c, { [`reason-${id}`]: err.message }, err.status as 404 | 409 | 422);
      }
      return c.redirect(`/admin/y-kien/xu-ly?msg=${approve ? 'reply_approved' : 'reply_declined'}`, 303);
    });
  }
  return app;
}
