import type { APIRoute, GetStaticPaths } from 'astro';
import { sitemapChunk, sitemapChunkCount } from '../lib/feeds.ts';

export const getStaticPaths: GetStaticPaths = () =>
  Array.from({ length: sitemapChunkCount() }, (_, i) => ({ params: { n: String(i + 1) } }));

export const GET: APIRoute = ({ params }) =>
  new Response(sitemapChunk(Number(params.n)), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
