// One chunk of the search index: CHUNK_SIZE tasks in code order, or of one agency (site/lib/search-index.ts).
import type { APIRoute, GetStaticPaths } from 'astro';
import { loadSite } from '../../../lib/data.ts';
import { searchIndexOf } from '../../../lib/search-index.ts';

export const getStaticPaths = (() =>
  [...searchIndexOf(loadSite()).chunks, ...searchIndexOf(loadSite()).agencyChunks].map((c) => ({
    params: { file: c.file.replace(/\.json$/, '') },
    props: { body: c.body },
  }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  new Response(JSON.stringify(props.body), { headers: { 'Content-Type': 'application/json' } });
