import type { APIRoute } from 'astro';
import { rssFeed } from '../lib/feeds.ts';

export const GET: APIRoute = () =>
  new Response(rssFeed(), { headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' } });
