/**
 * Province merger preview (issue 12; administrators: 'agency.manage'). GET /admin/province-merge shows the form;
 * with `from` (a path on the server) it runs the same dry run as `npm run merge-province -- --dry-run` and shows the
 * plan and the counts side by side. Nothing is written: the page only reads the named files (the other database
 * through a read-only snapshot). The merger itself is the command line, shown on the page: it copies files and runs
 * for up to a minute, which a request should not. Design chosen because it is the simplest honest one: no upload of
 * a database, no state kept between the dry run and the merger.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { formatDateVi, parseDateInput, today } from '../domain/dates.ts';
import { mergeProvince, ProvinceMergeError, type MergeProvinceResult } from '../domain/province-merge.ts';
import { ProvinceMergePage, type ProvinceMergeFormValues } from '../views/province-merge-page.tsx';

const MAP_MAX_BYTES = 1024 * 1024;

/** Which field a refusal belongs beside. */
function fieldOf(code: string): keyof ProvinceMergeFormValues {
  if (code === 'bad_prefix' || code === 'prefix_used' || code.endsWith('_collision')) return 'prefix';
  if (code === 'bad_date' || code === 'future_date' || code === 'events_after_merger') return 'on';
  if (code.includes('map') || code.includes('code') || code === 'inactive_successor') return 'map';
  if (code === 'missing_file' || code === 'file_changed') return 'from_uploads';
  return 'from';
}

export function provinceMergeRoutes(deps: AppDeps) {
  const { db, env, clock } = deps;
  const app = new Hono<AppEnv>();

  app.get('/province-merge', requirePermission('agency.manage'), (c) => {
    const q = (k: string, max = 1000) => (c.req.query(k) ?? '').trim().slice(0, max);
    const values: ProvinceMergeFormValues = {
      from: q('from'),
      from_uploads: q('from_uploads'),
      prefix: q('prefix', 20).toUpperCase(),
      on: q('on', 12) || formatDateVi(today(clock())),
      map: q('map'),
    };
    const errors: Record<string, string> = {};
    let result: MergeProvinceResult | null = null;
    const render = (status: 200 | 422) =>
      c.html(<ProvinceMergePage user={c.get('user')} values={values} errors={errors} result={result} />, status);
    if (values.from === '') return render(200);

    const on = parseDateInput(values.on);
    if (on === null) errors.on = `Ngày hợp nhất “${values.on}” không hợp lệ (nhập theo dạng dd/mm/yyyy).`;
    let mapText: string | null = null;
    if (values.map !== '') {
      if (!existsSync(values.map) || !statSync(values.map).isFile())
        errors.map = `Không tìm thấy tệp ánh xạ ${values.map} trên máy chủ.`;
      else if (statSync(values.map).size > MAP_MAX_BYTES) errors.map = 'Tệp ánh xạ quá lớn (tối đa 1 MB).';
      else mapText = readFileSync(values.map, 'utf8');
    }
    if (Object.keys(errors).length > 0) return render(422);
    try {
      result = mergeProvince(
        { db, dbPath: env.databasePath, uploadDir: env.uploadDir },
        {
          fromPath: values.from,
          fromUploads: values.from_uploads || undefined,
          prefix: values.prefix || null,
          on: on!,
          mapText,
          mapName: `tệp ánh xạ ${values.map}`,
        },
        { dryRun: true, today: today(clock()), now: clock(), verifyFiles: 'size' },
      );
    } catch (e) {
      if (!(e instanceof ProvinceMergeError)) throw e;
      errors[fieldOf(e.code)] = e.message;
      return render(422);
    }
    return render(200);
  });

  return app;
}
