/** Every agency list of the admin sorts in Vietnamese order, where SQLite's ORDER BY name would sort bytes. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { listActiveAgencies } from '../auth/users.ts';
import { listAgencies } from './agencies.ts';
import { newTaskChoices } from './document-view.ts';
import { taskFilterChoices } from './task-filter-choices.ts';

const VI_ORDER = ['Sở Du lịch', 'Sở Đào tạo', 'Sở Y tế', 'UBND xã Nội Bài', 'UBND xã Nông Sơn'];

function db() {
  const d = openDatabase(':memory:');
  const ins = d.prepare("INSERT INTO agencies (code, name, kind) VALUES (?, ?, 'department')");
  // inserted in byte order, so a missing sort would keep the wrong order
  for (const [i, name] of [...VI_ORDER].sort().entries()) ins.run(`A${i}`, name);
  const sec = d.prepare('INSERT INTO sectors (code, name) VALUES (?, ?)');
  sec.run('S1', 'Y tế');
  sec.run('S2', 'Đất đai');
  sec.run('S3', 'Du lịch');
  return d;
}

describe('agency lists in Vietnamese order', () => {
  it('byte order differs (the premise)', () => {
    expect([...VI_ORDER].sort()).not.toEqual(VI_ORDER);
  });
  it.each([
    ['user form (listActiveAgencies)', (d: ReturnType<typeof db>) => listActiveAgencies(d).map((a) => a.name)],
    ['agency register (listAgencies)', (d: ReturnType<typeof db>) => listAgencies(d).map((a) => a.name)],
    ['document entry (newTaskChoices)', (d: ReturnType<typeof db>) => newTaskChoices(d).agencies.map((a) => a.name)],
    [
      'task list filter (taskFilterChoices)',
      (d: ReturnType<typeof db>) => taskFilterChoices(d).agencies.map((a) => a.name),
    ],
  ])('%s', (_label, list) => {
    expect(list(db())).toEqual(VI_ORDER);
  });
  it('sectors too', () => {
    const d = db();
    expect(taskFilterChoices(d).sectors.map((s) => s.name)).toEqual(['Du lịch', 'Đất đai', 'Y tế']);
    expect(newTaskChoices(d).sectors.map((s) => s.name)).toEqual(['Du lịch', 'Đất đai', 'Y tế']);
  });
});
