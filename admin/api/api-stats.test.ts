/**
 * GET /api/v1/stats?from=&to=: the period statistics in exactly the shape of periodStatsJson (the CLI's JSON), scoped
 * like the cutoff statistics, and every bad period a 400 with one Vietnamese issue per field, nothing written.
 * The world: three tasks assigned on 10/01/2026 (deadline 30/06/2026); today is 02/03/2026.
 */
import { describe, expect, it } from 'vitest';
import { rowCounts } from '../test/support/api.ts';
import { computePeriodStats, periodStatsJson } from '../domain/period-stats.ts';
import { setup } from '../test/support/api-world.ts';

describe('GET /api/v1/stats?from=&to=', () => {
  it('gives the three views for a period, as the CLI does; agency clients get their own agency only', async () => {
    const { t, api, tk } = setup();
    const jan = await api.call(tk.leader, 'GET', '/api/v1/stats?from=2026-01-01&to=2026-01-31');
    expect(jan.status).toBe(200);
    expect(jan.json).toEqual(
      periodStatsJson(computePeriodStats(t.db, { from: '2026-01-01', to: '2026-01-31' }), 'Tháng 1/2026'),
    );
    expect(jan.json.assigned.totals.total).toBe(3);
    expect(jan.json.backlog.openAtStart).toBe(0);
    const feb = await api.call(tk.leader, 'GET', '/api/v1/stats?from=2026-02-01&to=2026-02-28');
    expect(feb.json).toMatchObject({ label: 'Tháng 2/2026', rulesVersion: 3, completedBeforePeriod: 0 });
    expect(feb.json.assigned.totals.total).toBe(0);
    expect(feb.json.backlog.openAtStart).toBe(3);
    expect(feb.json.cumulative.totals.total).toBe(3);
    // the month in progress, as of today
    const mar = await api.call(tk.leader, 'GET', '/api/v1/stats?from=2026-03-01&to=2026-03-31&asOf=2026-03-02');
    expect(mar.status).toBe(200);
    expect(mar.json.asOf).toBe('2026-03-02');
    const own = await api.call(tk.agency, 'GET', '/api/v1/stats?from=2026-01-01&to=2026-01-31');
    expect(own.json.assigned.agencies.map((a: { code: string }) => a.code)).toEqual(['STC']);
    expect(own.json.cumulative.totals.total).toBe(1);
    expect((await api.call(tk.agency, 'GET', '/api/v1/stats?from=2026-01-01&to=2026-01-31&agency=SYT')).status).toBe(
      403,
    );
  });

  it('filters by leader', async () => {
    const { t, api, tk, leaderId } = setup();
    t.db.prepare('UPDATE tasks SET leader_id = ? WHERE id = (SELECT min(id) FROM tasks)').run(leaderId);
    const r = await api.call(tk.leader, 'GET', `/api/v1/stats?from=2026-01-01&to=2026-01-31&leader=${leaderId}`);
    expect(r.status).toBe(200);
    expect(r.json.assigned.totals.total).toBe(1);
    expect(r.json.assigned.leaders).toEqual([
      expect.objectContaining({ id: leaderId, name: 'Trần Văn Chủ', title: 'Chủ tịch UBND tỉnh', total: 1 }),
    ]);
  });

  it('refuses bad periods with a 400 and a Vietnamese message per field; nothing is written', async () => {
    const { t, api, tk } = setup();
    const before = rowCounts(t);
    const cases: Array<[string, string, RegExp]> = [
      ['from=2026-02-01&to=2026-01-01', 'from', /Ngày đầu kỳ \(01\/02\/2026\) sau ngày cuối kỳ \(01\/01\/2026\)/],
      ['from=2026-03-01&to=2026-03-31', 'to', /sau hôm nay \(02\/03\/2026\)/],
      ['from=2026-01-01&to=2026-01-31&asOf=2026-02-05', 'asOf', /phải nằm trong kỳ/],
      ['from=2025-01-01&to=2025-12-31', 'to', /trước ngày giao nhiệm vụ đầu tiên \(10\/01\/2026\)/],
      ['from=2026-01-01&to=2026-01-31&leader=999', 'leader', /Không có lãnh đạo mã số "999"/],
      ['from=2026-01-01&to=2026-01-31&leader=abc', 'leader', /Không có lãnh đạo/],
      ['from=2026-01-01', 'to', /Thiếu ngày cuối kỳ/],
      ['to=2026-01-31', 'from', /Thiếu ngày đầu kỳ/],
      ['leader=1', 'leader', /Chỉ lọc theo lãnh đạo khi hỏi số liệu theo kỳ/],
      ['from=01/01/2026&to=2026-01-31', 'from', /YYYY-MM-DD/],
    ];
    for (const [q, path, message] of cases) {
      const r = await api.call(tk.leader, 'GET', `/api/v1/stats?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.code, q).toBe('validation');
      expect(
        r.json.error.issues.map((i: { path: string }) => i.path),
        q,
      ).toEqual([path]);
      expect(r.json.error.issues[0].message, q).toMatch(message);
    }
    const unknown = await api.call(tk.leader, 'GET', '/api/v1/stats?from=2026-01-01&to=2026-01-31&agency=NOPE');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues).toEqual([{ path: 'agency', message: 'Không có đơn vị mã "NOPE".' }]);
    expect(rowCounts(t)).toEqual(before);
  });
});
