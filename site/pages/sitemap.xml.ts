import type { APIRoute } from 'astro';
import { sitemapIndex } from '../lib/feeds.ts';

export const GET: APIRoute = () =>
  new Response(sitemapIndex(), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
