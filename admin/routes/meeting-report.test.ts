/**
 * The meeting report routes through app.request: who may download (the working group and the leaders), the headers
 * of the file (type, Content-Disposition, no-store), the audit row, the refusals (400/404 with Vietnamese messages,
 * nothing audited), and the links on the publish page and the reports page.
 */
import { describe, expect, it } from 'vitest';
import { createTask } from '../domain/tasks.ts';
import { publishPeriod } from '../publication/publish.ts';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { readDocx } from '../test/support/report-files.ts';

const URL_PUBLIC_DOCX = '/admin/reports/download?period=2026-02&version=public&format=docx';
const URL_INTERNAL_PDF = '/admin/reports/download?period=2026-02&version=internal&format=pdf';

function world(): TestApp {
  const t = makeTestApp();
  // overdue on 28/02 and confidential: counted in the internal version only
  createTask(t.db, {
    title: 'Phương án bảo vệ mục tiêu trọng yếu',
    leadAgencyId: t.agencies.c,
    assignedOn: '2026-01-05',
    deadline: '2026-02-10',
    confidential: true,
  });
  publishPeriod(t.db, { period: '2026-02', asOf: '2026-02-28', now: t.clock.now });
  return t;
}

const audits = (t: TestApp) =>
  t.db.prepare("SELECT actor_name, target_id, details FROM audit_log WHERE action = 'report.download'").all() as Array<{
    actor_name: string;
    target_id: string;
    details: string;
  }>;

describe('GET /admin/reports/download', () => {
  it('gives the working group the public DOCX with its headers, and audits it', async () => {
    const t = world();
    const res = await t.get(URL_PUBLIC_DOCX, await t.cookieFor('confirmer'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="Bao cao phien hop thang 02-2026 - ban cong khai.docx"; filename*=UTF-8\'\'B%C3%A1o%20c%C3%A1o%20phi%C3%AAn%20h%E1%BB%8Dp%20th%C3%A1ng%2002-2026%20-%20b%E1%BA%A3n%20c%C3%B4ng%20khai.docx',
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const d = await readDocx(new Uint8Array(await res.arrayBuffer()));
    const text = d.paragraphs.join('\n');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('tháng 02/2026');
    expect(text).not.toContain('Phương án bảo vệ mục tiêu trọng yếu');
    expect(audits(t)).toEqual([
      {
        actor_name: 'tocongtac',
        target_id: '2026-02',
        details: expect.stringContaining('"version":"public","format":"docx","asOf":"2026-02-28","revision":1'),
      },
    ]);
  });

  it('gives a leader the internal PDF, with the confidential task counted', async () => {
    const t = world();
    const res = await t.get(URL_INTERNAL_PDF, await t.cookieFor('leader'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toEqual(
      expect.stringContaining(
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20phi%C3%AAn%20h%E1%BB%8Dp%20th%C3%A1ng%2002-2026%20-%20b%E1%BA%A3n%20n%E1%BB%99i%20b%E1%BB%99.pdf",
      ),
    );
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const docx = await t.get(
      '/admin/reports/download?period=2026-02&version=internal&format=docx',
      await t.cookieFor('leader'),
    );
    const text = (await readDocx(new Uint8Array(await docx.arrayBuffer()))).paragraphs.join('\n');
    expect(text).toContain('gồm 1 nhiệm vụ mật');
    // a leader may read every task: the title is shown
    expect(text).toContain('Phương án bảo vệ mục tiêu trọng yếu');
  });

  it('refuses everyone else (403, audited as a refusal)', async () => {
    const t = world();
    for (const who of ['agency', 'specialist', 'admin'] as const) {
      const res = await t.get(URL_INTERNAL_PDF, await t.cookieFor(who));
      expect(res.status, who).toBe(403);
    }
    expect(audits(t)).toEqual([]);
    const anonymous = await t.get(URL_PUBLIC_DOCX);
    expect(anonymous.status).toBe(302);
  });

  it('answers bad input in Vietnamese with a 4xx, and writes nothing', async () => {
    const t = world();
    const cookie = await t.cookieFor('confirmer');
    const cases: Array<[string, number, string]> = [
      ['period=2026-13&version=public&format=pdf', 400, 'Kỳ báo cáo không hợp lệ'],
      ['version=public&format=pdf', 400, 'Kỳ báo cáo không hợp lệ'],
      ['period=2026-02&version=secret&format=pdf', 400, 'Loại báo cáo không hợp lệ'],
      ['period=2026-02&version=public&format=xlsx', 400, 'Định dạng không hợp lệ'],
      ['period=2026-01&version=public&format=pdf', 404, 'Kỳ 01/2026 chưa được công bố'],
      ['period=2027-01&version=internal&format=pdf', 400, 'chưa bắt đầu'],
    ];
    for (const [query, status, message] of cases) {
      const res = await t.get(`/admin/reports/download?${query}`, cookie);
      expect(res.status, query).toBe(status);
      expect(await res.text(), query).toContain(message);
    }
    expect(audits(t)).toEqual([]);
  });
});

describe('links', () => {
  it('the publish page links the public and internal versions of the latest revision', async () => {
    const t = world();
    const html = await (await t.get('/admin/publish', await t.cookieFor('confirmer'))).text();
    expect(html).toContain('Báo cáo phiên họp');
    expect(html).toContain('href="/admin/reports/download?period=2026-02&amp;version=public&amp;format=docx"');
    expect(html).toContain('href="/admin/reports/download?period=2026-02&amp;version=internal&amp;format=pdf"');
  });

  it('the reports page lists the published periods for a leader', async () => {
    const t = world();
    const res = await t.get('/admin/reports', await t.cookieFor('leader'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Báo cáo phục vụ phiên họp');
    expect(html).toContain('02/2026');
    expect(html).toContain('period=2026-02&amp;version=internal&amp;format=docx');
    // reachable from the menu of those who may download it, and only theirs
    expect(html).toContain('href="/admin/reports"');
    const specialist = await (await t.get('/admin', await t.cookieFor('specialist'))).text();
    expect(specialist).not.toContain('href="/admin/reports"');
  });
});
