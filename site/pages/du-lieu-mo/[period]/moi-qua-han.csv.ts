// The agencies with tasks newly overdue in the month, as CSV (snapshots of schema version 2 only: version 1 did
// not publish this list).
import type { APIRoute, GetStaticPaths } from 'astro';
import { newlyOverdueCsv } from '../../../../admin/publication/open-data.ts';
import { isCurrentSnapshot, type SnapshotHeader } from '../../../../admin/publication/schema.ts';
import { loadSite } from '../../../lib/data.ts';

export const getStaticPaths = (() =>
  loadSite()
    .periods.filter(isCurrentSnapshot)
    .map((report) => ({ params: { period: report.period }, props: { report } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ report: SnapshotHeader }> = ({ props }) =>
  new Response(newlyOverdueCsv(props.report) ?? '', { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
