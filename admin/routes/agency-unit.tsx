/**
 * The per-agency setting of issue 11 on the agency page (administrators: 'agency.manage'): "thủ trưởng duyệt
 * trước khi gửi Văn phòng". When on, a focal point's result report, extension request and explanation wait for the
 * unit's head (admin/domain/unit-actions.ts). Kept apart from agencies.tsx, which holds the reorganisations.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { auditAgency, getAgency } from '../domain/agencies.ts';
import { changeHeadApproval, headApprovalRequired } from '../domain/unit-steps.ts';
import { DomainError } from '../domain/rules.ts';
import { field, readForm } from './form-helpers.ts';

/** The setting's form on the agency page. */
export function HeadApprovalForm(p: { db: AppDeps['db']; agencyId: number }) {
  const on = headApprovalRequired(p.db, p.agencyId);
  return (
    <>
      <h2>Quy trình trong đơn vị</h2>
      <form method="post" action={`/admin/agencies/${p.agencyId}/unit-settings`}>
        <div class="field checkbox">
          <input id="head_approval" name="head_approval" type="checkbox" value="1" checked={on} />
          <label for="head_approval">Thủ trưởng duyệt trước khi gửi Văn phòng</label>
        </div>
        <p class="hint">
          Khi bật, báo cáo kết quả, đề nghị gia hạn và giải trình do cán bộ đầu mối gửi phải được thủ trưởng đơn vị
          duyệt; chỉ khi được duyệt mới đến Văn phòng và được tính vào số liệu.
        </p>
        <button type="submit">Lưu</button>
      </form>
    </>
  );
}

export function agencyUnitRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  app.post('/agencies/:id{[0-9]+}/unit-settings', requirePermission('agency.manage'), async (c) => {
    const a = getAgency(db, Number(c.req.param('id')));
    if (!a) throw new DomainError('agency_not_found', 'Không tìm thấy đơn vị.', 404);
    const body = await readForm(c);
    const on = field(body, 'head_approval', 5) === '1';
    const ctx = {
      actor: c.get('principal'),
      at: clock(),
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
    };
    changeHeadApproval(db, a.id, on, (before) =>
      auditAgency(db, ctx, 'agency.head_approval', a.id, { code: a.code, before, after: on }),
    );
    return c.redirect(`/admin/agencies/${a.id}?msg=agency_updated`, 303);
  });
  return app;
}
