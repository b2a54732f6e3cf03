/**
 * A reorganisation dated on or before a published cutoff (merger, dissolution, split) leaves a note that the next
 * publication carries once ("Số liệu điều chỉnh do sắp xếp tổ chức", issue 12); one dated after every published
 * cutoff leaves none; a refused reorganisation leaves none.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { createTask } from './tasks.ts';
import { dissolveAgency, mergeAgency } from './agency-reorganisation.ts';
import { splitAgency } from './agency-split.ts';
import { EMPTY_MAPPING } from './agency-split-mapping.ts';
import { pendingReorganisationNotes } from './reorganisation-notes.ts';
import { publishPeriod, readSummary } from '../publication/publish.ts';

const TODAY = '2026-03-02';
const now = new Date('2026-03-02T02:00:00Z');
const ctx = { actor: null, at: now };

function world() {
  const db = openDatabase(':memory:');
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const id = (code: string, name: string, kind = 'department') => Number(ins.run(code, name, kind).lastInsertRowid);
  const w = {
    db,
    khdt: id('SKHDT', 'Sở Kế hoạch và Đầu tư'),
    tc: id('STC', 'Sở Tài chính'),
    ldtbxh: id('SLDTBXH', 'Sở Lao động – Thương binh và Xã hội'),
    nv: id('SNV', 'Sở Nội vụ'),
    hx: id('UBND-HX', 'UBND huyện X', 'district'),
    xa: id('XA-1', 'UBND xã Một', 'commune'),
  };
  for (const lead of [w.khdt, w.ldtbxh, w.hx, w.tc])
    createTask(db, { title: 'Nhiệm vụ', leadAgencyId: lead, assignedOn: '2026-01-05', deadline: '2026-06-30' });
  publishPeriod(db, { period: '2026-01', asOf: '2026-01-31', now });
  return w;
}

describe('reorganisation notes', () => {
  it('merger, dissolution and split dated within a published period: the next publication says so, once', () => {
    const w = world();
    mergeAgency(
      w.db,
      { fromId: w.khdt, toId: w.tc, on: '2026-01-20', usersPolicy: 'disable', reason: 'QĐ 11/QĐ' },
      ctx,
      TODAY,
    );
    dissolveAgency(w.db, { id: w.ldtbxh, on: '2026-01-25', receiverId: w.nv }, ctx, TODAY);
    const open = w.db.prepare('SELECT id FROM tasks WHERE lead_agency_id = ?').pluck().all(w.hx) as number[];
    splitAgency(
      w.db,
      {
        fromId: w.hx,
        on: '2026-01-28',
        assignments: open.map((taskId) => ({ taskId, toId: w.xa })),
        usersPolicy: 'disable',
        usersToId: null,
        mapping: EMPTY_MAPPING,
        defaultId: null,
        reason: 'Nghị quyết sắp xếp đơn vị hành chính',
      },
      ctx,
      TODAY,
    );
    expect(pendingReorganisationNotes(w.db)).toHaveLength(3);
    const feb = publishPeriod(w.db, { period: '2026-02', asOf: '2026-02-28', now });
    expect(readSummary(w.db, feb.id).note).toBe(
      'Số liệu điều chỉnh do sắp xếp tổ chức: Sở Kế hoạch và Đầu tư hợp nhất vào Sở Tài chính từ ngày 20/01/2026; ' +
        'Sở Lao động – Thương binh và Xã hội giải thể từ ngày 25/01/2026; UBND huyện X chia tách từ ngày 28/01/2026. ' +
        'Các kỳ đã công bố giữ nguyên.',
    );
    expect(pendingReorganisationNotes(w.db)).toEqual([]);
    expect(readSummary(w.db, 1).note).toBe(''); // January's snapshot is frozen
  });

  it('a reorganisation after every published cutoff, or a refused one, leaves no note', () => {
    const w = world();
    mergeAgency(
      w.db,
      { fromId: w.khdt, toId: w.tc, on: '2026-02-10', usersPolicy: 'disable', reason: 'QĐ 12/QĐ' },
      ctx,
      TODAY,
    );
    expect(() =>
      mergeAgency(
        w.db,
        { fromId: w.ldtbxh, toId: w.nv, on: '2026-04-01', usersPolicy: 'disable', reason: 'QĐ 13/QĐ' },
        ctx,
        TODAY,
      ),
    ).toThrow(/ở tương lai/);
    expect(pendingReorganisationNotes(w.db)).toEqual([]);
  });
});
