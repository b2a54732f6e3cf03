/**
 * Splitting an agency among several successors (issue 12, "Split"; administrators: 'agency.manage').
 * GET shows the preview; POST with action=preview re-computes the proposals from the mapping (typed or uploaded),
 * POST with action=apply applies the rows as shown. Rules and refusals live in admin/domain/agency-split*.ts; this
 * file reads the form, shows errors in Vietnamese beside their fields and redirects after the write.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { getAgency, type AgencyRow } from '../domain/agencies.ts';
import {
  EMPTY_MAPPING,
  MAPPING_MAX_CHARS,
  parseSplitMapping,
  resolveSplitMapping,
  type ResolvedMapping,
} from '../domain/agency-split-mapping.ts';
import { splitAgency, SplitError } from '../domain/agency-split.ts';
import { buildSplitPreview, type SplitRowInput } from '../domain/agency-split-preview.ts';
import { DomainError } from '../domain/rules.ts';
import { formatDateVi, parseDateInput, today } from '../domain/dates.ts';
import { SplitPage, type SplitFormValues } from '../views/agency-split-page.tsx';
import { field, readForm, type FormBody } from './form-helpers.ts';

const idField = (s: string): number | null => (/^[1-9][0-9]{0,9}$/.test(s) ? Number(s) : null);

/** The mapping text: an uploaded file replaces the text area (and is shown in it afterwards, to be edited). */
async function mappingText(body: FormBody): Promise<{ text: string; error?: string }> {
  const file = body.mapping_file;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAPPING_MAX_CHARS * 4) return { text: '', error: 'Tệp ánh xạ quá lớn (tối đa khoảng 100 KB).' };
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { text: '', error: 'Tệp ánh xạ không phải văn bản UTF-8 (hãy lưu tệp CSV dạng UTF-8).' };
    }
  }
  return { text: field(body, 'mapping', MAPPING_MAX_CHARS + 1, false) };
}

export function agencySplitRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const load = (c: Context<AppEnv>): AgencyRow => {
    const a = getAgency(db, Number(c.req.param('id')));
    if (!a) throw new DomainError('agency_not_found', 'Không tìm thấy đơn vị.', 404);
    return a;
  };
  const render = (
    c: Context<AppEnv>,
    a: AgencyRow,
    opts: {
      values: SplitFormValues;
      errors: Record<string, string>;
      mapping: ResolvedMapping;
      defaultId: number | null;
      rows: Map<number, SplitRowInput> | null;
      keepChoices: boolean;
      recomputed?: boolean;
    },
    status: 200 | 422 = 200,
  ) => {
    const preview = buildSplitPreview(db, a, opts.mapping, opts.defaultId, opts.rows, opts.keepChoices);
    return c.html(
      <SplitPage
        user={c.get('user')}
        agency={a}
        preview={preview}
        values={opts.values}
        errors={opts.errors}
        recomputed={opts.recomputed}
      />,
      status,
    );
  };

  app.get('/agencies/:id{[0-9]+}/split', requirePermission('agency.manage'), (c) => {
    const a = load(c);
    const values = {
      on: formatDateVi(today(clock())),
      mapping: '',
      default_id: '',
      users: 'disable',
      users_to: '',
      reason: '',
    };
    return render(c, a, {
      values,
      errors: {},
      mapping: EMPTY_MAPPING,
      defaultId: null,
      rows: null,
      keepChoices: false,
    });
  });

  app.post('/agencies/:id{[0-9]+}/split', requirePermission('agency.manage'), async (c) => {
    const a = load(c);
    const body = await readForm(c);
    const apply = field(body, 'action', 10) === 'apply';
    const errors: Record<string, string> = {};
    const upload = await mappingText(body);
    if (upload.error) errors.mapping = upload.error;
    const values: SplitFormValues = {
      on: field(body, 'on', 12),
      mapping: upload.text.slice(0, MAPPING_MAX_CHARS + 1),
      default_id: field(body, 'default_id', 12),
      users: field(body, 'users', 10),
      users_to: field(body, 'users_to', 12),
      reason: field(body, 'reason', 1000),
    };
    let mapping = EMPTY_MAPPING;
    if (!errors.mapping) {
      try {
        mapping = resolveSplitMapping(db, a.id, parseSplitMapping(values.mapping));
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        errors.mapping = e.message;
      }
    }
    const defaultId = values.default_id === '' ? null : idField(values.default_id);
    if (values.default_id !== '' && defaultId === null) errors.default_id = 'Đơn vị mặc định không hợp lệ.';
    if (defaultId === a.id) errors.default_id = `${a.name} là đơn vị đang chia tách, không làm đơn vị mặc định được.`;
    // the rows: task_<id> = chosen successor, proposed_<id> = the proposal the row was shown with
    const rows = new Map<number, SplitRowInput>();
    const badKeys: string[] = [];
    for (const key of Object.keys(body)) {
      const m = /^task_(.*)$/.exec(key);
      if (!m) continue;
      const id = idField(m[1]!);
      if (id === null) badKeys.push(m[1]!);
      else rows.set(id, { chosen: field(body, key, 12), proposed: field(body, `proposed_${id}`, 12) });
    }
    const render422 = (status: 200 | 422) =>
      render(c, a, { values, errors, mapping, defaultId, rows, keepChoices: apply, recomputed: !apply }, status);
    if (!apply) return render422(Object.keys(errors).length > 0 ? 422 : 200);

    const on = parseDateInput(values.on);
    if (on === null) errors.on = 'Ngày chia tách không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025.';
    if (values.users !== 'disable' && values.users !== 'move') errors.users = 'Chọn cách xử lý tài khoản của đơn vị.';
    const usersToId = values.users_to === '' ? null : idField(values.users_to);
    if (values.users_to !== '' && usersToId === null) errors.users_to = 'Đơn vị nhận tài khoản không hợp lệ.';
    if (Object.keys(errors).length > 0) return render422(422);
    try {
      splitAgency(
        db,
        {
          fromId: a.id,
          on: on!,
          assignments: [...rows].map(([taskId, r]) => ({ taskId, toId: idField(r.chosen) })),
          unknownTaskIds: badKeys,
          usersPolicy: values.users as 'disable' | 'move',
          usersToId: values.users === 'move' ? usersToId : null,
          mapping,
          defaultId,
          reason: values.reason,
        },
        { actor: c.get('principal'), at: clock(), ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? '' },
        today(clock()),
      );
    } catch (e) {
      if (e instanceof SplitError) {
        errors[e.field] = e.message;
        return render422(422);
      }
      throw e;
    }
    return c.redirect(`/admin/agencies/${a.id}?msg=agency_split`, 303);
  });

  return app;
}
