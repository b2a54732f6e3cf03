/** Accounts of the people inside a unit (issue 11): a head or an officer is created and edited like any account. */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';

describe('heads of unit and officers on the users page', () => {
  it('are created with their agency, sign in with their role, and change role like other accounts', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const form = await (await t.get('/admin/users/new', admin)).text();
    expect(form).toContain('<option value="head">Thủ trưởng đơn vị</option>');
    expect(form).toContain('<option value="officer">Chuyên viên đơn vị</option>');
    const noAgency = await t.post(
      '/admin/users',
      { username: 'truong.y', display_name: 'Trưởng Y', role: 'head', agency_id: '' },
      admin,
    );
    expect(noAgency.status).toBe(422);
    expect(await noAgency.text()).toContain('phải thuộc một đơn vị đang hoạt động');
    const res = await t.post(
      '/admin/users',
      { username: 'truong.y', display_name: 'Trưởng Y', role: 'head', agency_id: String(t.agencies.b) },
      admin,
    );
    expect(res.status).toBe(201);
    const password = /class="secret">([^<]+)</.exec(await res.text())![1]!;
    const row = t.db.prepare("SELECT id, role, unit_role, agency_id FROM users WHERE username = 'truong.y'").get() as {
      id: number;
    };
    expect(row).toMatchObject({ role: 'agency', unit_role: 'head', agency_id: t.agencies.b });
    expect((await t.login('truong.y', password)).status).toBe(303);
    expect(await (await t.get('/admin/users', admin)).text()).toContain('Thủ trưởng đơn vị');

    // head → officer: the stored unit role changes and the account's sessions end (its scope changed)
    expect(t.db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(row.id)).toBe(1);
    const edit = await t.post(
      `/admin/users/${row.id}`,
      { display_name: 'Trưởng Y', email: '', role: 'officer', agency_id: String(t.agencies.b) },
      admin,
    );
    expect(edit.status).toBe(303);
    expect(t.db.prepare('SELECT role, unit_role FROM users WHERE id = ?').get(row.id)).toEqual({
      role: 'agency',
      unit_role: 'officer',
    });
    expect(t.db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(row.id)).toBe(0);
    const toLeader = await t.post(
      `/admin/users/${row.id}`,
      { display_name: 'Trưởng Y', email: '', role: 'leader', agency_id: '' },
      admin,
    );
    expect(toLeader.status).toBe(303);
    expect(t.db.prepare('SELECT role, unit_role, agency_id FROM users WHERE id = ?').get(row.id)).toEqual({
      role: 'leader',
      unit_role: null,
      agency_id: null,
    });
  });
});
