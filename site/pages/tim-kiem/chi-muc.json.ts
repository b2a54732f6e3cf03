// The search manifest: agencies, task codes, the vocabulary and the detail chunks (site/lib/search-index.ts).
import type { APIRoute } from 'astro';
import { loadSite } from '../../lib/data.ts';
import { searchIndexOf } from '../../lib/search-index.ts';

export const GET: APIRoute = () =>
  new Response(JSON.stringify(searchIndexOf(loadSite()).manifest), {
    headers: { 'Content-Type': 'application/json' },
  });
