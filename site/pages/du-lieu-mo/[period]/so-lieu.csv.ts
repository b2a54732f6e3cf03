// The period's figures (the three views in total and per agency) as CSV: the same rows as the XLSX sheet
// "So lieu theo ky", written by the open-data module from the published header.
import type { APIRoute, GetStaticPaths } from 'astro';
import { figuresCsv } from '../../../../admin/publication/open-data.ts';
import type { StoredSnapshotHeader } from '../../../../admin/publication/schema.ts';
import { loadSite } from '../../../lib/data.ts';

export const getStaticPaths = (() =>
  loadSite().periods.map((report) => ({
    params: { period: report.period },
    props: { report },
  }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ report: StoredSnapshotHeader }> = ({ props }) =>
  new Response(figuresCsv(props.report), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
