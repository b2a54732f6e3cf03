import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { listAudit, writeAudit } from './audit.ts';

describe('audit log', () => {
  it('cannot be updated or deleted', () => {
    const t = makeTestApp();
    const id = writeAudit(t.db, { at: t.clock.now, actor: 'system', action: 'test.entry', details: { a: 1 } });
    expect(() => t.db.prepare('UPDATE audit_log SET action = ? WHERE id = ?').run('x', id)).toThrow(/append-only/);
    expect(() => t.db.prepare('DELETE FROM audit_log WHERE id = ?').run(id)).toThrow(/append-only/);
    expect(() => t.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect((t.db.prepare('SELECT action FROM audit_log WHERE id = ?').get(id) as { action: string }).action).toBe(
      'test.entry',
    );
  });

  it('is written in the same transaction as the change: a failed change leaves no audit row', () => {
    const t = makeTestApp();
    const before = (t.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    expect(() =>
      t.db.transaction(() => {
        writeAudit(t.db, { at: t.clock.now, actor: 'system', action: 'user.update' });
        throw new Error('change failed');
      })(),
    ).toThrow('change failed');
    expect((t.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(before);
  });

  it('records who, what, when, from where for changes made through the pages', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('admin');
    await t.app.request(
      `/admin/users/${t.users.leader.id}/disable`,
      {
        method: 'POST',
        headers: {
          cookie,
          origin: 'http://localhost:3000',
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'TestBrowser/1',
        },
        body: '',
      },
      { incoming: { socket: { remoteAddress: '192.0.2.5' } } },
    );
    const row = t.db.prepare("SELECT * FROM audit_log WHERE action = 'user.disable'").get() as Record<string, unknown>;
    expect(row).toMatchObject({
      actor_kind: 'user',
      actor_user_id: t.users.admin.id,
      actor_name: 'quantri',
      target_type: 'user',
      target_id: String(t.users.leader.id),
      ip: '192.0.2.5',
      user_agent: 'TestBrowser/1',
      at: t.clock.now.toISOString(),
    });
  });

  it('administrators browse it with filters and paging; others are refused', async () => {
    const t = makeTestApp();
    for (let i = 0; i < 60; i++)
      writeAudit(t.db, {
        at: t.clock.now,
        actor: 'system',
        action: 'test.bulk',
        targetType: 'task',
        targetId: `NV-${i}`,
      });
    expect(listAudit(t.db, { action: 'test.bulk' }, 2, 50).rows).toHaveLength(10);
    const cookie = await t.cookieFor('admin');
    let res = await t.get('/admin/audit?action=test.bulk&page=2', cookie);
    expect(res.status).toBe(200);
    let html = await res.text();
    expect(html).toContain('60 bản ghi');
    expect(html).toContain('Trang 2/2');
    res = await t.get('/admin/audit?actor=quantri&action=auth.login', cookie);
    html = await res.text();
    expect(html).toContain('1 bản ghi');
    res = await t.get('/admin/audit?from=99/99/2026', cookie);
    expect(await res.text()).toContain('Ngày bắt đầu không hợp lệ');
    const leader = await t.cookieFor('leader');
    expect((await t.get('/admin/audit', leader)).status).toBe(403);
  });
});
