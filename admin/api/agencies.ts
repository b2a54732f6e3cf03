/**
 * GET /api/v1/agencies, GET /api/v1/agencies/:code — the register of units (sở, ban, ngành, UBND cấp huyện/xã,
 * cơ quan Trung ương), including merged and dissolved ones with their successor, so a partner system can follow a
 * reorganisation (DESIGN.md §1). Any integration client may read it.
 */
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import type { DB } from '../db/open.ts';
import { apiApp, apiSchemas, defineOperation, isoDate, mount } from './operation.ts';
import { notFound } from './errors.ts';
import { findAgencyByCode, findAgencyRecord, listAgencyRecords, type AgencyRecord } from '../domain/references.ts';

export const AGENCY_KINDS = ['department', 'district', 'commune', 'central', 'other'] as const;

export const AgencySchema = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: z.enum(AGENCY_KINDS),
    status: z.enum(['active', 'merged', 'dissolved']),
    successor: z.string().nullable().meta({ description: 'mã đơn vị kế thừa khi đã sáp nhập' }),
    mergedOn: isoDate.nullable(),
    dissolvedOn: isoDate.nullable(),
  })
  .register(apiSchemas, { id: 'Agency', description: 'Đơn vị (cơ quan, địa phương) được giao nhiệm vụ.' });

export type ApiAgency = z.infer<typeof AgencySchema>;

function toApi(r: AgencyRecord): ApiAgency {
  return {
    code: r.code,
    name: r.name,
    kind: r.kind as ApiAgency['kind'],
    status: r.dissolved_on !== null ? 'dissolved' : r.merged_on !== null ? 'merged' : 'active',
    successor: r.successor,
    mergedOn: r.merged_on,
    dissolvedOn: r.dissolved_on,
  };
}

export function listApiAgencies(db: DB): ApiAgency[] {
  return listAgencyRecords(db).map(toApi);
}

/** Agency id by code (codes are stored upper case; the lookup ignores case). */
export function agencyIdByCode(db: DB, code: string): number | undefined {
  return findAgencyByCode(db, code.trim())?.id;
}

export const agencyCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9._-]+$/, 'Mã đơn vị chỉ gồm chữ, số, dấu chấm, gạch ngang.');

export const listAgencies = defineOperation({
  id: 'listAgencies',
  method: 'get',
  path: '/agencies',
  tag: 'agencies',
  summary: 'Danh sách đơn vị',
  description: 'Mọi đơn vị, kể cả đã sáp nhập (kèm mã đơn vị kế thừa) hoặc giải thể.',
  action: 'agency.read',
  query: z.strictObject({ status: z.enum(['active', 'merged', 'dissolved']).optional() }),
  response: z.object({ items: z.array(AgencySchema) }).register(apiSchemas, { id: 'AgencyList' }),
});

export const getAgency = defineOperation({
  id: 'getAgency',
  method: 'get',
  path: '/agencies/:code',
  tag: 'agencies',
  summary: 'Một đơn vị theo mã',
  action: 'agency.read',
  params: z.strictObject({ code: agencyCode }),
  response: AgencySchema,
  errors: [404],
});

export const AGENCY_OPERATIONS = [listAgencies, getAgency];

export function agenciesApi(deps: AppDeps) {
  const { db } = deps;
  const app = apiApp();
  mount(app, listAgencies, (_c, { query }) => {
    const items = listApiAgencies(db);
    return { items: query.status ? items.filter((a) => a.status === query.status) : items };
  });
  mount(app, getAgency, (_c, { params }) => {
    const row = findAgencyRecord(db, params.code);
    if (!row) throw notFound('Không tìm thấy đơn vị có mã này.');
    return toApi(row);
  });
  return app;
}
