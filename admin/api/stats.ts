/**
 * GET /api/v1/stats — the figures through the one rules module, in exactly the shape of `npm run stats`:
 *   ?from=&to=[&asOf=][&agency=][&leader=]  statistics for a period (computePeriodStats, periodStatsJson):
 *                                            assigned in the period, backlog, cumulative, by agency/leader/sector/type
 *   ?asOf=[&agency=]                         counts as of a cutoff (computeStats, statsJson), as before
 * Internal statistics: confidential tasks are counted. An agency client gets its own agency only. Bad periods
 * (from > to, a cutoff after today, a period before the data, unknown agency or leader) are a 400 with one
 * Vietnamese issue per field (admin/domain/period-input.ts).
 */
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { can, denyAccess } from '../auth/permissions.ts';
import { computeStats, statsJson } from '../domain/stats.ts';
import { checkPeriodRequest } from '../domain/period-input.ts';
import { computePeriodStats, periodStatsJson } from '../domain/period-stats.ts';
import { livePeriodStats } from '../domain/live-period.ts';
import { periodLabel } from '../domain/periods.ts';
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
  due: z.number().int().meta({ description: 'đến hạn = đã hoàn thành (đúng hạn, quá hạn) + đang quá hạn' }),
  completionRate: rate.meta({ description: '(hoàn thành đúng hạn + hoàn thành quá hạn) ÷ due; null khi due = 0' }),
  onTimeRate: rate.meta({ description: 'hoàn thành đúng hạn ÷ due; null khi due = 0' }),
  overdueRate: rate.meta({ description: 'đang quá hạn (chưa hoàn thành) ÷ due; null khi due = 0' }),
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

const GroupSchema = z.object({
  id: z.number().int().nullable().meta({ description: 'mã số (null: chưa xác định; loại văn bản không có mã số)' }),
  code: z.string().nullable(),
  name: z.string(),
  title: z.string().optional().meta({ description: 'chức vụ (chỉ với lãnh đạo)' }),
  ...CountsShape,
});

const viewShape = {
  totals: CountsSchema,
  agencies: z.array(GroupSchema).meta({ description: 'theo đơn vị chủ trì tại ngày chốt số liệu' }),
  leaders: z.array(GroupSchema).meta({ description: 'theo lãnh đạo UBND tỉnh giao nhiệm vụ' }),
  sectors: z.array(GroupSchema).meta({ description: 'theo lĩnh vực' }),
  documentTypes: z.array(GroupSchema).meta({ description: 'theo loại văn bản chỉ đạo' }),
};
const PeriodViewSchema = z.object(viewShape).register(apiSchemas, { id: 'PeriodView' });

export const PeriodStatsSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    asOf: isoDate,
    label: z.string().nullable().meta({ description: 'tên kỳ, ví dụ "Tháng 11/2026", "Quý IV/2026"' }),
    rulesVersion: z.number().int().meta({ description: 'phiên bản cách tính số liệu' }),
    assigned: PeriodViewSchema.meta({ description: 'giao trong kỳ: giao từ from đến asOf, chưa thu hồi' }),
    backlog: z
      .object({
        openAtStart: z.number().int().meta({ description: 'chưa hoàn thành, chưa thu hồi vào ngày from − 1' }),
        cancelledInPeriod: z.number().int().meta({ description: 'trong số đó, bị thu hồi trong kỳ' }),
        ...viewShape,
      })
      .meta({ description: 'tồn đọng từ kỳ trước, tình trạng tại asOf' }),
    cumulative: PeriodViewSchema.meta({ description: 'lũy kế: mọi nhiệm vụ giao đến asOf, chưa thu hồi' }),
    completedBeforePeriod: z.number().int().meta({ description: 'giao trước kỳ, đã hoàn thành trước kỳ' }),
  })
  .register(apiSchemas, {
    id: 'PeriodStats',
    description: 'Số liệu theo kỳ: giao trong kỳ, tồn đọng từ kỳ trước, lũy kế (cùng định nghĩa với báo cáo tháng).',
  });

export const getStatsOp = defineOperation({
  id: 'getStats',
  method: 'get',
  path: '/stats',
  tag: 'stats',
  summary: 'Số liệu thực hiện nhiệm vụ theo kỳ hoặc tính đến một ngày',
  description:
    'Với from và to: số liệu theo kỳ (PeriodStats), giống `npm run stats -- --from … --to … --format json`. ' +
    'Chỉ asOf: số liệu tính đến ngày đó (Stats), giống `npm run stats -- --as-of … --format json`. ' +
    'Gồm cả nhiệm vụ mật (số liệu nội bộ). Đơn vị chỉ lấy được số liệu của mình.',
  action: 'stats.read',
  query: z.strictObject({
    from: isoDate.optional().meta({ description: 'ngày đầu kỳ (cùng với to)' }),
    to: isoDate.optional().meta({ description: 'ngày cuối kỳ (cùng với from)' }),
    asOf: isoDate
      .optional()
      .meta({ description: 'ngày chốt số liệu (trong kỳ; mặc định: ngày cuối kỳ, hoặc hôm nay khi không có kỳ)' }),
    agency: agencyCode.optional().meta({ description: 'chỉ một đơn vị (mã)' }),
    leader: z
      .string()
      .max(20)
      .optional()
      .meta({ description: 'chỉ nhiệm vụ do một lãnh đạo giao (mã số; chỉ dùng với kỳ)' }),
  }),
  response: z.union([PeriodStatsSchema, StatsSchema]),
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
    if (query.from === undefined && query.to === undefined) {
      if (query.leader !== undefined)
        throw new ApiError(400, 'validation', VALIDATION_MESSAGE, [
          { path: 'leader', message: 'Chỉ lọc theo lãnh đạo khi hỏi số liệu theo kỳ (from, to).' },
        ]);
      const now = today(clock());
      const asOf = query.asOf ?? now;
      // as of today: from the live index (the same figures, without reading every row)
      return statsJson(computeStats(db, asOf, { live: asOf === now, ...(agencyId === undefined ? {} : { agencyId }) }));
    }
    const check = checkPeriodRequest(
      db,
      { from: query.from, to: query.to, asOf: query.asOf, leader: query.leader },
      today(clock()),
    );
    if (!check.ok) throw new ApiError(400, 'validation', VALIDATION_MESSAGE, check.issues);
    const period = agencyId === undefined ? check.query : { ...check.query, agencyId };
    // a period up to today is kept in memory and brought up to date by what changed (live-period.ts)
    const stats =
      (period.asOf ?? period.to) >= today(clock()) ? livePeriodStats(db, period) : computePeriodStats(db, period);
    return periodStatsJson(stats, periodLabel(stats.from, stats.to));
  });
  return app;
}
