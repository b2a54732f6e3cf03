/**
 * Hostile input on the task action routes (property-based): random form values and random uploads never cause a
 * 500 or a partial write.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { makeTestApp } from '../test/support/admin-app.ts';
import type { TaskActionKind } from '../domain/task-actions.ts';
import { isUnitAction } from '../domain/unit-actions.ts';
import { ACTION_SLUGS } from './tasks.tsx';
import { getTaskByCode } from '../domain/tasks.ts';
import { counts, KINDS, postMultipart, type Who } from '../test/support/task-routes.ts';

describe('hostile input', () => {
  it('random strings in every field of every action never cause a 500 or a partial write', async () => {
    const t = makeTestApp();
    const cookies = new Map<Who, string>();
    for (const who of ['agency', 'specialist', 'confirmer'] as const) cookies.set(who, await t.cookieFor(who));
    const actor: Record<TaskActionKind, Who> = {
      receive: 'agency',
      progress: 'agency',
      report: 'agency',
      request_extension: 'agency',
      explain: 'agency',
      urge: 'specialist',
      edit: 'specialist',
      reassign: 'specialist',
      cancel: 'specialist',
      confirm: 'confirmer',
      return_report: 'confirmer',
      approve_extension: 'confirmer',
      reject_extension: 'confirmer',
      // a unit's internal steps write no task event: their bad input is tried in admin/routes/unit-flow.test.ts
      delegate: 'agency',
      draft_report: 'agency',
      approve_submission: 'agency',
      send_back: 'agency',
    };
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom(
        '',
        ' ',
        '31/02/2026',
        '2026-13-01',
        '<script>alert(1)</script>',
        "'; DROP TABLE tasks; --",
        '9'.repeat(30),
        '-1',
        '0',
        '1e3',
        '\u0000',
        'x'.repeat(5000),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS.filter((k) => k !== 'report' && k !== 'explain' && !isUnitAction(k))),
        fc.record({
          note: hostile,
          new_deadline: hostile,
          to_agency: hostile,
          title: hostile,
          deadline: hostile,
          leader: hostile,
          sector: hostile,
          coordinators: hostile,
          reason: hostile,
          back: hostile,
        }),
        async (kind, fields) => {
          const before = counts(t);
          const task = getTaskByCode(t.db, t.tasks.own)!;
          const res = await t.post(
            `/admin/tasks/${t.tasks.own}/${ACTION_SLUGS[kind]}`,
            fields,
            cookies.get(actor[kind]),
          );
          expect(res.status).not.toBe(500);
          const after = counts(t);
          if (res.status === 303) {
            expect(after.events).toBe(before.events + 1);
            expect(res.headers.get('location')).toMatch(
              /^\/admin\/(tasks\/NV-[0-9-]+|queues\/(reports|extensions)|inbox)\?msg=task_[a-z_]+$/,
            );
          } else {
            expect([403, 404, 409, 422]).toContain(res.status);
            expect(after).toEqual(before);
            expect(getTaskByCode(t.db, t.tasks.own)).toEqual(task);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('hostile uploads', () => {
  it('random bytes under any name, with or without a real magic number, never cause a 500; refused ones leave nothing', async () => {
    const t = makeTestApp();
    t.clock.now = new Date('2026-07-05T03:00:00Z'); // overdue, so explanations are allowed too
    const cookie = await t.cookieFor('agency');
    const magic = fc.constantFrom(
      [] as number[],
      [0x25, 0x50, 0x44, 0x46, 0x2d],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0x50, 0x4b, 0x03, 0x04],
      [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
      [0x4d, 0x5a],
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('report', 'explain'),
        magic,
        fc.uint8Array({ maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.oneof(fc.constant('Kết quả'), fc.string({ maxLength: 20 })),
        async (slug, head, tail, name, note) => {
          const before = counts(t);
          const filesBefore = readdirSync(t.env.uploadDir).length;
          const fileRowsBefore = (t.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
          const res = await postMultipart(
            t,
            `/admin/tasks/${t.tasks.own}/${slug}`,
            { note },
            [['files', new Uint8Array([...head, ...tail]), name]],
            cookie,
          );
          expect(res.status).not.toBe(500);
          if (res.status === 303) {
            expect(counts(t).events).toBe(before.events + 1);
            const fileRows = (t.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
            // an explanation's signed document is optional: a file part without a name or without bytes is what a
            // browser sends when no file was chosen, and stores nothing; a report always stores its file
            if (slug === 'explain' && fileRows === fileRowsBefore) {
              expect(name === '' || head.length + tail.length === 0).toBe(true);
              return;
            }
            expect(fileRows).toBe(fileRowsBefore + 1);
            // a stored file is always one of the accepted kinds, recorded with a safe name
            const f = t.db.prepare('SELECT mime, original_name FROM files ORDER BY id DESC LIMIT 1').get() as {
              mime: string;
              original_name: string;
            };
            expect(f.mime).toMatch(
              /^(application\/pdf|image\/png|application\/zip|application\/msword|application\/vnd\.)/,
            );
            expect(f.original_name).not.toMatch(/[\\/\p{Cc}]/u);
          } else {
            expect([409, 422]).toContain(res.status);
            expect(counts(t)).toEqual(before);
            expect(readdirSync(t.env.uploadDir).length).toBe(filesBefore);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
