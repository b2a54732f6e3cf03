// Compact search index built from the snapshot: agencies [code, name, slug] and tasks [code, title, agency, status].
import type { APIRoute } from 'astro';
import { loadSite } from '../../lib/data.ts';
import { slugify } from '../../lib/format.ts';
import { CATEGORIES, STATUS_LABELS } from '../../../admin/publication/schema.ts';

export const GET: APIRoute = () => {
  const site = loadSite();
  const agencies = site.agencies.map((a) => [a.code, a.name, slugify(a.code)]);
  const index = new Map(site.agencies.map((a, i) => [a.code, i]));
  const statusIndex = new Map(CATEGORIES.map((c, i) => [c, i]));
  const tasks = site.tasks.map((t) => [t.code, t.title, index.get(t.leadAgency) ?? 0, statusIndex.get(t.status)]);
  return new Response(JSON.stringify({ v: 1, statuses: CATEGORIES.map((c) => STATUS_LABELS[c]), agencies, tasks }), {
    headers: { 'Content-Type': 'application/json' },
  });
};
