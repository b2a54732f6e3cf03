// One file of the search index: a detail chunk (CHUNK_SIZE tasks in code order) or the tasks of a set of words
// (site/lib/search-index.ts).
import type { APIRoute, GetStaticPaths } from 'astro';
import { loadSite } from '../../../lib/data.ts';
import { searchIndexOf } from '../../../lib/search-index.ts';

export const getStaticPaths = (() => {
  const index = searchIndexOf(loadSite());
  return [...index.chunks, ...index.sets].map((c) => ({
    params: { file: c.file.replace(/\.json$/, '') },
    props: { body: c.body },
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  new Response(JSON.stringify(props.body), { headers: { 'Content-Type': 'application/json' } });
