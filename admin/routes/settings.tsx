/**
 * Province settings (administrators: 'settings.manage'): names that the publication prints on every snapshot,
 * the Office's contacts, the logo (an image checked by content, stored by admin/files) and the schedule of the
 * automatic public-site rebuild (picked up by the server within a minute: jobs/site-rebuild.ts). One form; every
 * field validated before anything is written; the change (before/after) audited in the same transaction.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { AppDeps, AppEnv } from '../context.ts';
import { publicRoute, requirePermission } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { readSettings, settingsSchema, writeSettings, type Settings } from '../domain/settings.ts';
import { zodFieldErrors } from '../domain/agencies.ts';
import { DomainError } from '../domain/rules.ts';
import { formatDateTimeVi } from '../domain/dates.ts';
import { nextRebuild } from '../jobs/site-rebuild.ts';
import {
  acceptUpload,
  filesOf,
  getFile,
  IMAGE_KINDS,
  runWithUploads,
  storedPath,
  storeUpload,
  UploadError,
  type AcceptedUpload,
} from '../files/store.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

type Values = Record<string, string>;

export function settingsRoutes(deps: AppDeps) {
  const { db, clock, env } = deps;
  const app = new Hono<AppEnv>();

  const Page = (p: { c: Context<AppEnv>; values: Values; errors: Record<string, string> }) => {
    const current = readSettings(db);
    const next = current.rebuildCron ? nextRebuild(current.rebuildCron, clock()) : null;
    const msg = flashFromQuery(p.c);
    const v = p.values;
    const e = p.errors;
    return (
      <Layout title="Cấu hình" user={p.c.get('user')} current="settings">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <form method="post" action="/admin/settings" enctype="multipart/form-data">
          <ErrorSummary errors={e} />
          <h2>Cơ quan</h2>
          <Field
            name="provinceName"
            label="Tên cơ quan giao nhiệm vụ"
            hint="In trên trang công khai và mọi kỳ công bố mới, ví dụ: Ủy ban nhân dân tỉnh Lam Sơn."
            value={v.provinceName}
            error={e.provinceName}
            required
            maxlength={200}
          />
          <Field
            name="officeName"
            label="Tên Văn phòng theo dõi"
            hint="Ví dụ: Văn phòng UBND tỉnh Lam Sơn."
            value={v.officeName}
            error={e.officeName}
            required
            maxlength={200}
          />
          <Field name="address" label="Địa chỉ" value={v.address} error={e.address} maxlength={300} />
          <Field name="phone" label="Điện thoại" value={v.phone} error={e.phone} maxlength={40} />
          <Field name="email" label="Thư điện tử" type="email" value={v.email} error={e.email} maxlength={200} />
          <Field name="website" label="Trang thông tin điện tử" value={v.website} error={e.website} maxlength={300} />
          <h2>Biểu trưng (logo)</h2>
          {current.logoFileId ? (
            <img class="logo-preview" src="/admin/settings/logo" alt="Biểu trưng hiện tại" />
          ) : (
            <p>Chưa có biểu trưng.</p>
          )}
          <div class={`field${e.logo ? ' has-error' : ''}`}>
            <label for="logo">Tải biểu trưng mới (PNG, JPEG, GIF hoặc WebP, tối đa 2 MB)</label>
            {e.logo && <p class="error-text">{e.logo}</p>}
            <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/gif,image/webp" />
          </div>
          {current.logoFileId && (
            <div class="field">
              <label>
                <input type="checkbox" name="remove_logo" value="1" /> Bỏ biểu trưng hiện tại
              </label>
            </div>
          )}
          <h2>Dựng lại trang công khai theo lịch</h2>
          <Field
            name="rebuildCron"
            label="Lịch dựng lại (cron, giờ Việt Nam)"
            hint='5 trường "phút giờ ngày tháng thứ"; để trống nếu không dựng theo lịch. Ví dụ "0 6 * * *": 6 giờ sáng hằng ngày; "0 7 6 * *": 7 giờ ngày 6 hằng tháng (sau phiên họp thường kỳ). Tối đa 1 lần mỗi giờ.'
            value={v.rebuildCron}
            error={e.rebuildCron}
            maxlength={100}
            autocomplete="off"
          />
          <p class="hint">
            {next
              ? `Lần dựng kế tiếp: ${formatDateTimeVi(next)} (máy chủ áp dụng lịch mới trong vòng 1 phút).`
              : 'Hiện không dựng theo lịch.'}{' '}
            Số liệu mới chỉ xuất hiện trên trang công khai sau khi Tổ công tác công bố kỳ số liệu.
          </p>
          <h2>Thông báo</h2>
          <Field
            name="noticeWaitingDays"
            label="Báo Tổ công tác khi báo cáo hoặc đề nghị gia hạn chờ quá (ngày)"
            hint="Số nguyên từ 1 đến 90; để trống: 5 ngày."
            value={v.noticeWaitingDays}
            error={e.noticeWaitingDays}
            maxlength={2}
            autocomplete="off"
          />
          <button type="submit">Lưu cấu hình</button>
        </form>
      </Layout>
    );
  };

  const valuesOf = (s: Settings): Values => ({
    provinceName: s.provinceName,
    officeName: s.officeName,
    address: s.address,
    phone: s.phone,
    email: s.email,
    website: s.website,
    rebuildCron: s.rebuildCron,
    noticeWaitingDays: s.noticeWaitingDays,
  });

  app.get('/settings', requirePermission('settings.manage'), (c) =>
    c.html(<Page c={c} values={valuesOf(readSettings(db))} errors={{}} />),
  );

  app.post('/settings', requirePermission('settings.manage'), async (c) => {
    const body = await readForm(c);
    const values: Values = {
      provinceName: field(body, 'provinceName', 400),
      officeName: field(body, 'officeName', 400),
      address: field(body, 'address', 600),
      phone: field(body, 'phone', 80),
      email: field(body, 'email', 400),
      website: field(body, 'website', 600),
      rebuildCron: field(body, 'rebuildCron', 200),
      noticeWaitingDays: field(body, 'noticeWaitingDays', 20),
    };
    const parsed = settingsSchema.safeParse(values);
    const errors: Record<string, string> = parsed.success ? {} : zodFieldErrors(parsed.error);
    let logo: AcceptedUpload | null = null;
    const files = filesOf(body, 'logo');
    if (files.length > 1) errors.logo = 'Chỉ chọn một tệp biểu trưng.';
    else if (files.length === 1) {
      try {
        logo = await acceptUpload(files[0], { kinds: IMAGE_KINDS, maxBytes: LOGO_MAX_BYTES });
      } catch (err) {
        if (!(err instanceof UploadError)) throw err;
        errors.logo = err.message;
      }
    }
    const removeLogo = field(body, 'remove_logo', 5) === '1';
    if (logo && removeLogo) errors.logo = 'Chọn tải biểu trưng mới hoặc bỏ biểu trưng, không chọn cả hai.';
    if (!parsed.success || Object.keys(errors).length > 0)
      return c.html(<Page c={c} values={values} errors={errors} />, 422);
    const user = c.get('user')!;
    runWithUploads(db, (pending) => {
      const next: Partial<Settings> = { ...parsed.data };
      if (logo) next.logoFileId = String(storeUpload({ db, env }, logo, { actorUserId: user.id, pending }));
      else if (removeLogo) next.logoFileId = '';
      const changes = writeSettings(db, next);
      if (Object.keys(changes).length > 0) {
        writeAudit(db, {
          at: clock(),
          actor: c.get('principal'),
          action: 'settings.update',
          targetType: 'settings',
          ip: c.get('clientIp'),
          userAgent: c.req.header('user-agent') ?? '',
          details: {
            changes,
            ...(logo ? { logo: { name: logo.originalName, sha256: logo.sha256, bytes: logo.bytes.length } } : {}),
          },
        });
      }
    });
    return c.redirect('/admin/settings?msg=settings_saved', 303);
  });

  // The logo is public information (it is printed on documents and the website): served to anyone, but only the
  // file the setting names — no id in the URL, so nothing else in the upload folder is reachable from here.
  app.get('/settings/logo', publicRoute('province logo (public image named by the settings)'), (c) => {
    const id = Number(readSettings(db).logoFileId);
    const file = Number.isSafeInteger(id) && id > 0 ? getFile(db, id) : undefined;
    if (!file?.mime.startsWith('image/')) throw new DomainError('logo_not_found', 'Chưa có biểu trưng.', 404);
    const path = storedPath(env, file.storage_name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      throw new DomainError('logo_missing', 'Tệp biểu trưng không còn trên máy chủ.', 404);
    }
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, {
      'Content-Type': file.mime,
      'Content-Length': String(size),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
  });

  return app;
}
