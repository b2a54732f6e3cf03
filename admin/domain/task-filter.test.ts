// The task query's filter (task-filter.ts): parsing, messages, and the round trip through the query string.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { filterToQuery, parseTaskFilter } from './task-filter.ts';

// ---- parsing --------------------------------------------------------------------------------------------------

describe('parseTaskFilter', () => {
  const now = new Date('2026-03-01T18:30:00Z'); // 01:30 on 2 March in Hà Nội
  const ok = (input: Record<string, string>) => {
    const r = parseTaskFilter(input, { now });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.filter;
  };
  const bad = (input: Record<string, string>) => {
    const r = parseTaskFilter(input, { now });
    if (r.ok) throw new Error(`accepted ${JSON.stringify(input)}`);
    return r.errors;
  };

  it('defaults: today in Asia/Ho_Chi_Minh, newest assignments first, page 1 of 50', () => {
    expect(ok({})).toEqual({
      role: 'lead',
      asOf: '2026-03-02',
      sort: 'assigned_on',
      dir: 'desc',
      page: 1,
      pageSize: 50,
    });
  });

  it.each([
    [{ asOf: '30/06/2024' }, { asOf: '2024-06-30' }],
    [{ asOf: '2024-06-30' }, { asOf: '2024-06-30' }],
    [{ asOf: '1/7/2024' }, { asOf: '2024-07-01' }],
    [{ q: '  Sở   Tài chính ' }, { q: 'so tai chinh' }],
    [{ q: '   ' }, {}],
    [
      { starred: '1', confidential: '0', received: 'on' },
      { starred: true, confidential: false, received: true },
    ],
    [
      { status: 'overdue', sort: 'deadline' },
      { status: 'overdue', sort: 'deadline', dir: 'asc' },
    ],
    [
      { agency: 'STC', role: 'any' },
      { agency: 'STC', role: 'any' },
    ],
    [
      { page: '3', pageSize: '200' },
      { page: 3, pageSize: 200 },
    ],
    [
      { leader: '7', sector: 'TC', document: '1147/UBND-KSTT' },
      { leader: 7, sector: 'TC', document: '1147/UBND-KSTT' },
    ],
    [
      { assignedFrom: '01/01/2026', assignedTo: '01/01/2026' },
      { assignedFrom: '2026-01-01', assignedTo: '2026-01-01' },
    ],
    [{ agency: '', status: '', page: '' }, {}],
  ])('accepts %j', (input, expected) => {
    expect(ok(input as Record<string, string>)).toMatchObject(expected);
  });

  it.each([
    [{ asOf: '31/02/2026' }, 'asOf', /ngày hợp lệ/],
    [{ asOf: '2026-13-01' }, 'asOf', /ngày hợp lệ/],
    [{ asOf: 'hôm nay' }, 'asOf', /ngày hợp lệ/],
    [{ asOf: '1'.repeat(5000) }, 'asOf', /ngày hợp lệ/],
    [{ status: 'done' }, 'status', /Tình trạng không hợp lệ/],
    [{ status: 'toString' }, 'status', /Tình trạng/],
    [{ role: 'owner', agency: 'STC' }, 'role', /Vai trò/],
    [{ sort: 'title; DROP TABLE tasks' }, 'sort', /sắp xếp/],
    [{ dir: 'up' }, 'dir', /Chiều/],
    [{ page: '0' }, 'page', /Trang/],
    [{ page: '99999999999999999999' }, 'page', /Trang/],
    [{ page: '1e3' }, 'page', /Trang/],
    [{ pageSize: '201' }, 'pageSize', /Số dòng/],
    [{ pageSize: '-5' }, 'pageSize', /Số dòng/],
    [{ leader: 'abc' }, 'leader', /Lãnh đạo/],
    [{ starred: 'maybe' }, 'starred', /trọng tâm/],
    [{ q: 'x'.repeat(201) }, 'q', /dài quá 200/],
    [{ q: 'a\u0000b' }, 'q', /điều khiển/],
    [{ assignedFrom: '2026-05-01', assignedTo: '2026-01-01' }, 'assignedTo', /sau hoặc bằng/],
    [{ __proto__x: '1' }, '__proto__x', /không được hỗ trợ/],
    [{ constructor: '1' }, 'constructor', /không được hỗ trợ/],
  ])('refuses %j with a Vietnamese message on the field', (input, path, message) => {
    const errors = bad(input as Record<string, string>);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)!.message).toMatch(message);
  });

  it('never throws, whatever the strings', () => {
    const keys = [
      'q',
      'agency',
      'role',
      'status',
      'asOf',
      'leader',
      'sector',
      'document',
      'starred',
      'page',
      'pageSize',
      'sort',
      'dir',
      'zzz',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.string({ maxLength: 300 })), (input) => {
        const r = parseTaskFilter(input, { now });
        if (r.ok) {
          expect(r.filter.pageSize).toBeLessThanOrEqual(200);
          expect(r.filter.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        } else {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('filterToQuery round-trips', () => {
    const f = ok({
      q: 'so tai chinh',
      agency: 'STC',
      role: 'coordinator',
      status: 'overdue',
      asOf: '2024-06-30',
      starred: '1',
      sort: 'agency',
      dir: 'desc',
      page: '2',
    });
    const again = parseTaskFilter(filterToQuery(f), { now });
    expect(again).toEqual({ ok: true, filter: f });
  });
});
