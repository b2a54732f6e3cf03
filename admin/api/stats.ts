/**
 * GET /api/v1/stats?asOf=YYYY-MM-DD[&agency=CODE] — counts per agency and in total as of a cutoff, through the one
 * rules module (computeStats), in exactly the shape of `npm run stats -- --format json` (statsJson). Internal
 * statistics: confidential tasks are counted. An agency client gets its own agency only.
 */
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { can, denyAccess } from '../auth/permissions.ts';
import { computeStats, statsJson } from '../domain/stats.ts';
import { today } from '../domain/dates.ts';
import { apiApp, apiSchemas, defineOperation, isoDate, mount } from './operation.ts';
import { ApiError, VALIDATION_MESSAGE } from './errors.ts';
import { agencyCode, agencyIdByCode } from './agencies.ts';

const rate = z.number().min(0).max(1).nullable();
const CountsShape = {
  total: z.number().int(),
  completedOnTime: z.number().int(),
  completedLate: z.number().int(),
  inProgress: z.number().int(),
  overdue: z.number().int(),
  noDeadline: z.number().int(),
  awaitingConfirmation: z.number().int(),
  dueSoon: z.number().int(),
  overdueOver30: z.number().int(),
  overdueOver60: z.number().int(),
  overdueOver120: z.number().int(),
  due: z.number().int().meta({ description: 'đã đến hạn (thời hạn hiệu lực ≤ asOf) hoặc đã hoàn thành' }),
  onTimeRate: rate.meta({ description: 'hoàn thành đúng hạn ÷ due; null khi chưa có nhiệm vụ đến hạn' }),
  overdueRate: rate.meta({ description: '(hoàn thành quá hạn + đang quá hạn) ÷ due' }),
};

export const CountsSchema = z.object(CountsShape).register(apiSchemas, { id: 'Counts' });

export const StatsSchema = z
  .object({
    asOf: isoDate,
    totals: CountsSchema,
    agencies: z.array(z.object({ code: z.string(), name: z.string(), ...CountsShape })),
  })
  .register(apiSchemas, {
    id: 'Stats',
    description: 'Số liệu tính đến ngày asOf, cùng định nghĩa với báo cáo tháng và trang công khai.',
  });

export const getStatsOp = defineOperation({
  id: 'getStats',
  method: 'get',
  path: '/stats',
  tag: 'stats',
  summary: 'Số liệu thực hiện nhiệm vụ tính đến một ngày',
  description:
    'Giống `npm run stats -- --as-of … --format json`. Gồm cả nhiệm vụ mật (số liệu nội bộ). Đơn vị chỉ lấy được số liệu của mình.',
  action: 'stats.read',
  query: z.strictObject({
    asOf: isoDate.optional().meta({ description: 'ngày chốt số liệu (mặc định: hôm nay)' }),
    agency: agencyCode.optional().meta({ description: 'chỉ một đơn vị (mã)' }),
  }),
  response: StatsSchema,
  errors: [400],
});

export const STATS_OPERATIONS = [getStatsOp];

export function statsApi(deps: AppDeps) {
  const { db, clock } = deps;
  const app = apiApp();
  mount(app, getStatsOp, (c, { query }) => {
    const principal = c.get('principal')!;
    let agencyId: number | undefined;
    if (query.agency !== undefined) {
      agencyId = agencyIdByCode(db, query.agency);
      if (agencyId === undefined)
        throw new ApiError(400, 'validation', VALIDATION_MESSAGE, [
          { path: 'agency', message: `Không có đơn vị mã "${query.agency}".` },
        ]);
    } else if (!can(principal, 'stats.read', { leadAgencyId: null })) {
      agencyId = principal.agencyId ?? undefined; // an agency client asking for "all" gets its own agency
    }
    if (agencyId !== undefined && !can(principal, 'stats.read', { leadAgencyId: agencyId }))
      denyAccess(c, 'stats.read', { type: 'agency', id: query.agency ?? agencyId });
    if (agencyId === undefined && !can(principal, 'stats.read', { leadAgencyId: null })) denyAccess(c, 'stats.read');
    return statsJson(computeStats(db, query.asOf ?? today(clock()), agencyId === undefined ? {} : { agencyId }));
  });
  return app;
}
