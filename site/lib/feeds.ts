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
<rss version="2.0"><channel>
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

export function sitemap(): string {
  const site = loadSite();
  const paths = ['/', '/co-quan/', '/bao-cao/', '/du-lieu-mo/', '/phuong-phap/', '/tim-kiem/'];
  for (const code of site.agencyPages.keys()) paths.push(agencyHref(code));
  for (const p of site.periods) paths.push(reportHref(p.period));
  for (const t of site.tasks) paths.push(taskHref(t.code));
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${paths.map((p) => `<url><loc>${escapeXml(site.siteUrl + p)}</loc></url>`).join('\n')}
</urlset>
`;
}
