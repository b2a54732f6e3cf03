import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { appendEvent, createTask, getTaskByCode } from '../domain/tasks.ts';

/** The dashboard's cards: key → { count, href }. */
function cards(html: string): Record<string, { n: number; href: string }> {
  const out: Record<string, { n: number; href: string }> = {};
  for (const m of html.matchAll(/<a href="([^"]+)" data-list="([a-zA-Z]+)"><span class="n">(\d+)<\/span>/g)) {
    out[m[2]!] = { n: Number(m[3]), href: m[1]!.replaceAll('&amp;', '&') };
  }
  return out;
}

function world() {
  const t = makeTestApp({ start: '2026-06-28T03:00:00Z' }); // the three tasks fall due on 30/06: due within 3 days
  const own = getTaskByCode(t.db, t.tasks.own)!;
  appendEvent(t.db, own.id, { kind: 'received', occurredOn: '2026-06-01' });
  appendEvent(t.db, own.id, { kind: 'reported', occurredOn: '2026-06-27' });
  // agency C: one overdue task
  createTask(t.db, {
    title: 'Nhiệm vụ đã quá hạn',
    leadAgencyId: t.agencies.c,
    assignedOn: '2026-05-01',
    deadline: '2026-06-10',
  });
  return t;
}

describe('dashboard lists per role', () => {
  it('every count links to the task list filtered the same way, which shows the same number', async () => {
    const t = world();
    for (const who of ['specialist', 'confirmer', 'leader', 'agency', 'agencyB'] as const) {
      const cookie = await t.cookieFor(who);
      const c = cards(await (await t.get('/admin', cookie)).text());
      expect(Object.keys(c).sort(), who).toEqual(['awaiting', 'dueSoon', 'new', 'overdue', 'recent']);
      for (const [key, card] of Object.entries(c)) {
        const list = await (await t.get(card.href, cookie)).text();
        expect(Number(/data-total="(\d+)"/.exec(list)![1]), `${who} ${key}`).toBe(card.n);
      }
    }
  });

  it('a dashboard shown again follows new events and tasks at once, and stays per person', async () => {
    const t = world();
    const office = await t.cookieFor('specialist');
    const agency = await t.cookieFor('agency');
    const before = cards(await (await t.get('/admin', office)).text());
    const agencyBefore = cards(await (await t.get('/admin', agency)).text());
    expect(cards(await (await t.get('/admin', office)).text())).toEqual(before);
    createTask(t.db, {
      title: 'Nhiệm vụ mới giao',
      leadAgencyId: t.agencies.c,
      assignedOn: '2026-06-28',
      deadline: '2026-07-30',
    });
    expect(cards(await (await t.get('/admin', office)).text()).new!.n).toBe(before.new!.n + 1);
    // agency A does not lead the new task: its own (cached) dashboard is unchanged, never the Office's
    expect(cards(await (await t.get('/admin', agency)).text())).toEqual(agencyBefore);
    const own = getTaskByCode(t.db, t.tasks.own)!;
    appendEvent(t.db, own.id, { kind: 'confirmed', occurredOn: '2026-06-28' });
    expect(cards(await (await t.get('/admin', agency)).text()).awaiting!.n).toBe(agencyBefore.awaiting!.n - 1);
  });

  it('the Office sees the province; an agency only the tasks it leads', async () => {
    const t = world();
    const office = cards(await (await t.get('/admin', await t.cookieFor('specialist'))).text());
    expect(office.new!.n).toBe(3); // B's, C's two; A acknowledged its task
    expect(office.dueSoon!.n).toBe(3);
    expect(office.overdue!.n).toBe(1);
    expect(office.awaiting!.n).toBe(1);
    const a = cards(await (await t.get('/admin', await t.cookieFor('agency'))).text());
    expect([a.new!.n, a.dueSoon!.n, a.overdue!.n, a.awaiting!.n]).toEqual([0, 1, 0, 1]);
    expect(a.new!.href).toContain('agency=STC');
    const b = cards(await (await t.get('/admin', await t.cookieFor('agencyB'))).text());
    expect([b.new!.n, b.dueSoon!.n, b.overdue!.n, b.awaiting!.n]).toEqual([1, 1, 0, 0]);
  });

  it('work links only for the roles that do the work: inbox for agencies, confirmation queue for the working group', async () => {
    const t = world();
    const agency = await (await t.get('/admin', await t.cookieFor('agency'))).text();
    expect(agency).toContain('href="/admin/inbox"');
    expect(agency).not.toContain('href="/admin/queues/reports"');
    const confirmer = await (await t.get('/admin', await t.cookieFor('confirmer'))).text();
    expect(confirmer).toContain('href="/admin/queues/reports"');
    const leader = await (await t.get('/admin', await t.cookieFor('leader'))).text();
    expect(leader).not.toContain('href="/admin/queues/reports"');
    expect(leader).not.toContain('href="/admin/inbox"');
    expect(leader).not.toContain('<form method="post" action="/admin/tasks');
  });

  it('the lists show the first tasks and follow new events', async () => {
    const t = world();
    const cookie = await t.cookieFor('specialist');
    let html = await (await t.get('/admin', cookie)).text();
    expect(html).toContain('<h2 id="list-overdue">Đang quá hạn</h2>');
    const own = getTaskByCode(t.db, t.tasks.own)!;
    appendEvent(t.db, own.id, { kind: 'confirmed', occurredOn: '2026-06-28' });
    html = await (await t.get('/admin', cookie)).text();
    expect(cards(html).awaiting!.n).toBe(0);
    expect(cards(html).dueSoon!.n).toBe(2);
  });

  it('the administrator has no task lists (aggregate counts only)', async () => {
    const t = world();
    const html = await (await t.get('/admin', await t.cookieFor('admin'))).text();
    expect(cards(html)).toEqual({});
    expect(html).toContain('Đang quá hạn');
  });
});
