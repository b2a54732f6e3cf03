/** RSS 2.0 and Atom feeds of the monthly reports (every revision, newest first) and the sitemap. */
import { agencyHref, loadSite, reportHref, taskHref } from './data.ts';
import { periodLabel } from './format.ts';

/** THE XML escaping of the site's feeds and sitemap: text and attribute values (the five predefined entities). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function entries() {
  const site = loadSite();
  // the units' approved replies are news too (issue 13): each an entry of the feed, on its day of publication
  const replies = site.replies.slice(0, 60).map((r) => ({
    title: `Ý kiến của ${r.agencyName} về số liệu ${periodLabel(r.period).toLowerCase()}`,
    url: `${site.siteUrl}${agencyHref(r.agencyCode)}#y-kien`,
    id: `${site.siteUrl}${agencyHref(r.agencyCode)}#y-kien-${r.id}`,
    date: `${r.approvedOn}T00:00:00.000Z`,
    summary: r.body.length > 280 ? `${r.body.slice(0, 279)}…` : r.body,
  }));
  return [...reports(), ...replies].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)).slice(0, 60);
}

function reports() {
  const site = loadSite();
  return site.revisions.slice(0, 60).map((r) => ({
    title: `Báo cáo ${periodLabel(r.period).toLowerCase()}${r.revision > 1 ? ` (đính chính lần ${r.revision - 1})` : ''}`,
    url: `${site.siteUrl}${reportHref(r.period)}`,
    id: `${site.siteUrl}${reportHref(r.period)}#ban-${r.revision}`,
    date: r.publishedAt,
    summary:
      r.revision > 1
        ? `Đính chính: ${r.note}`
        : `Số liệu tính đến ngày ${r.asOf.split('-').reverse().join('/')}: ${r.taskCount} nhiệm vụ công khai.`,
  }));
}

export function atomFeed(): string {
  const site = loadSite();
  const items = entries();
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">
<title>${escapeXml(`Báo cáo theo dõi nhiệm vụ — ${site.latest.province}`)}</title>
<id>${escapeXml(site.siteUrl)}/</id>
<link rel="self" href="${escapeXml(site.siteUrl)}/atom.xml"/>
<link href="${escapeXml(site.siteUrl)}/bao-cao/"/>
<updated>${items[0]?.date ?? new Date(0).toISOString()}</updated>
<author><name>${escapeXml(site.latest.office)}</name></author>
${items
  .map(
    (e) =>
      `<entry><title>${escapeXml(e.title)}</title><id>${escapeXml(e.id)}</id><link href="${escapeXml(e.url)}"/><updated>${e.date}</updated><summary>${escapeXml(e.summary)}</summary></entry>`,
  )
  .join('\n')}
</feed>
`;
}

export function rssFeed(): string {
  const site = loadSite();
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<atom:link href="${escapeXml(site.siteUrl)}/rss.xml" rel="self" type="application/rss+xml"/>
<title>${escapeXml(`Báo cáo theo dõi nhiệm vụ — ${site.latest.province}`)}</title>
<link>${escapeXml(site.siteUrl)}/bao-cao/</link>
<description>Báo cáo hằng tháng tình hình thực hiện nhiệm vụ UBND tỉnh giao</description>
<language>vi</language>
${entries()
  .map(
    (e) =>
      `<item><title>${escapeXml(e.title)}</title><link>${escapeXml(e.url)}</link><guid isPermaLink="false">${escapeXml(e.id)}</guid><pubDate>${new Date(e.date).toUTCString()}</pubDate><description>${escapeXml(e.summary)}</description></item>`,
  )
  .join('\n')}
</channel></rss>
`;
}

/** URLs per sitemap file: the protocol allows 50,000 (and 50 MB); the index lists the files. */
export const SITEMAP_CHUNK = 40_000;

interface SitemapUrl {
  path: string;
  /** the day its content last changed: the publication it shows */
  lastmod: string;
}

/**
 * Every page of the site with the day its content last changed. Pages show the latest publication (home, agencies,
 * tasks, search, method), a report page its own period's latest revision.
 */
function sitemapUrls(): SitemapUrl[] {
  const site = loadSite();
  const day = (iso: string) => iso.slice(0, 10);
  const latest = day(site.revisions.reduce((m, r) => (r.publishedAt > m ? r.publishedAt : m), ''));
  const periodDay = new Map<string, string>();
  for (const r of site.revisions) if (!periodDay.has(r.period)) periodDay.set(r.period, day(r.publishedAt));
  const urls: SitemapUrl[] = [
    '/',
    '/co-quan/',
    '/bao-cao/',
    '/muc-do-cap-nhat/',
    '/du-lieu-mo/',
    '/phuong-phap/',
    '/tim-kiem/',
  ].map((path) => ({ path, lastmod: latest }));
  for (const code of site.agencyPages.keys()) urls.push({ path: agencyHref(code), lastmod: latest });
  for (const p of site.periods) urls.push({ path: reportHref(p.period), lastmod: periodDay.get(p.period) ?? latest });
  for (const t of site.tasks) urls.push({ path: taskHref(t.code), lastmod: latest });
  if (site.archives.length > 0) urls.push({ path: '/luu-tru/', lastmod: latest });
  for (const a of site.archives) urls.push({ path: `/luu-tru/${a.slug}/`, lastmod: a.periods.at(-1)?.asOf ?? latest });
  return urls;
}

export function sitemapChunkCount(): number {
  return Math.max(1, Math.ceil(sitemapUrls().length / SITEMAP_CHUNK));
}

/** sitemap.xml: the index of the sitemap files (one per SITEMAP_CHUNK URLs). */
export function sitemapIndex(): string {
  const site = loadSite();
  const urls = sitemapUrls();
  const files: string[] = [];
  for (let i = 0; i * SITEMAP_CHUNK < Math.max(1, urls.length); i++) {
    const chunk = urls.slice(i * SITEMAP_CHUNK, (i + 1) * SITEMAP_CHUNK);
    const lastmod = chunk.reduce((m, u) => (u.lastmod > m ? u.lastmod : m), '');
    files.push(
      `<sitemap><loc>${escapeXml(`${site.siteUrl}/sitemap-${i + 1}.xml`)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</sitemap>`,
    );
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${files.join('\n')}
</sitemapindex>
`;
}

/** sitemap-N.xml (N from 1): the Nth SITEMAP_CHUNK URLs with their lastmod. */
export function sitemapChunk(n: number): string {
  const site = loadSite();
  const chunk = sitemapUrls().slice((n - 1) * SITEMAP_CHUNK, n * SITEMAP_CHUNK);
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${chunk.map((u) => `<url><loc>${escapeXml(site.siteUrl + u.path)}</loc><lastmod>${u.lastmod}</lastmod></url>`).join('\n')}
</urlset>
`;
}

/** robots.txt: everything public may be crawled, the admin and the API not; where the sitemap is. */
export function robotsTxt(): string {
  const site = loadSite();
  return `User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /api/\n\nSitemap: ${site.siteUrl}/sitemap.xml\n`;
}
