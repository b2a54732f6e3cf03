/** The audit log page reads in Vietnamese: action names, targets and changed fields by label, raw data one click away. */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { MATRIX } from '../auth/permissions.ts';
import { AUDIT_ACTION_LABELS, auditActionLabel, describeAuditDetails } from '../audit/labels.ts';

describe('audit log in Vietnamese', () => {
  it('shows action and target labels, changed fields as before → after, and the raw JSON in <details>', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    // a real change through the users page: the display name changes, the rest stays
    const u = t.users.specialist;
    const res = await t.post(
      `/admin/users/${u.id}`,
      { display_name: 'Nguyễn Văn Bình', email: '', role: 'specialist', agency_id: '' },
      admin,
    );
    expect(res.status).toBe(303);
    const html = await (await t.get('/admin/audit', admin)).text();
    expect(html).toContain('Sửa tài khoản');
    expect(html).toContain(`Tài khoản ${u.id}`);
    expect(html).toMatch(/Họ và tên:<\/span> <del>Người dùng chuyenvien<\/del> → <ins>Nguyễn Văn Bình<\/ins>/);
    expect(html).not.toMatch(/Vai trò:<\/span> <del>/); // unchanged fields are not listed as changes
    expect(html).toContain('Đăng nhập');
    expect(html).toMatch(/<details class="audit-raw"><summary>Dữ liệu gốc<\/summary><pre>[^<]*&quot;displayName&quot;/);
    // the action filter offers the labels, with the code as the value
    expect(html).toContain('<option value="user.update">Sửa tài khoản</option>');
    expect(html).not.toMatch(/<td[^>]*>user\.update<\/td>/);
  });

  it('task events use the timeline labels; settings and task-edit changes are read field by field', () => {
    expect(auditActionLabel('task.confirmed')).toBe('Xác nhận hoàn thành');
    expect(auditActionLabel('task.extension_requested')).toBe('Đề nghị gia hạn');
    expect(auditActionLabel('something.new')).toBe('something.new'); // unknown: the code, never nothing
    expect(describeAuditDetails('{"changes":{"officeName":["Văn phòng A","Văn phòng B"]}}')).toEqual([
      { label: 'Tên cơ quan', from: 'Văn phòng A', to: 'Văn phòng B' },
    ]);
    expect(
      describeAuditDetails('{"title":{"from":"Cũ","to":"Mới"},"eventId":7,"confidential":{"from":0,"to":1}}'),
    ).toEqual([
      { label: 'Tên nhiệm vụ', from: 'Cũ', to: 'Mới' },
      { label: 'Sự kiện (mã số)', value: '7' },
      { label: 'Mật', from: 'không', to: 'có' },
    ]);
    expect(describeAuditDetails('not json')).toEqual([]);
  });

  it('every action written in the code has a label', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const found = new Set<string>();
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.includes('.test.')) {
          const src = readFileSync(p, 'utf8');
          for (const m of src.matchAll(
            /(?:action: |auditAgency\(db, ctx, |audit\(db, ctx, |audit\(ctx, |audit\(c, )'([a-zA-Z_]+\.[a-z_]+)'/g,
          ))
            found.add(m[1]!);
        }
      }
    };
    walk(join(import.meta.dirname, '..'));
    // the regex also meets permission names (`action: 'task.receive'` in route tags): those are not audit actions
    const missing = [...found].filter((a) => !Object.hasOwn(MATRIX, a) && auditActionLabel(a) === a);
    expect(missing).toEqual([]);
    expect(Object.keys(AUDIT_ACTION_LABELS).length).toBeGreaterThan(40);
  });
});
