/**
 * Publishing off the request path (issue 14, publish-job.ts): on a database file the preview and the publication run
 * in a worker thread — same figures as in process, the publication and its audit row written together, refusals
 * still PublishErrors with their Vietnamese message, and the server's thread free meanwhile — and the publish page
 * goes through it. A publication right after its preview takes the preview's snapshot over only when nothing was
 * written since, by any connection.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.ts';
import { buildFixtureProvince } from '../test/fixtures/province.ts';
import { makeTestApp } from '../test/support/admin-app.ts';
import { executePublishJob, publishJobsSettled, runPublishJob, stopPublishWorkers } from './publish-job.ts';
import { PublishError, readSnapshot } from './publish.ts';

const tmp = mkdtempSync(join(tmpdir(), 'publish-job-'));
afterAll(async () => {
  await stopPublishWorkers();
  rmSync(tmp, { recursive: true, force: true });
});
let n = 0;
function fileProvince() {
  const path = join(tmp, `p${++n}.db`);
  const db = openDatabase(path);
  buildFixtureProvince(db);
  return { db, path };
}
const NOW = '2026-04-05T03:00:00.000Z';

describe('publish job in a worker thread', () => {
  it('previews with the figures of the in-process preview, without blocking this thread', async () => {
    const { db } = fileProvince();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const job = { kind: 'preview', period: '2026-03', asOf: '2026-03-31', now: NOW } as const;
    const worker = await runPublishJob(db, job);
    clearInterval(timer);
    // the in-process run (what the server did before) holds the thread the whole time
    expect(ticks).toBeGreaterThan(0);
    expect(worker).toEqual(await executePublishJob(db, job));
    expect(worker.kind === 'preview' && worker.preview.totals.total).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM publications').pluck().get()).toBe(0);
  });

  it('publishes with its audit row; a refusal is a PublishError with its message and writes nothing', async () => {
    const { db } = fileProvince();
    const audit = { at: NOW, actor: 'system' as const, targetType: 'publication', ip: '10.0.0.1' };
    const job = {
      kind: 'publish',
      period: '2026-03',
      asOf: '2026-03-31',
      note: '',
      userId: null,
      now: NOW,
      audit,
    } as const;
    const r = await runPublishJob(db, job);
    expect(r.kind === 'publish' && r.result.revision).toBe(1);
    expect(db.prepare('SELECT period, revision FROM publications').all()).toEqual([{ period: '2026-03', revision: 1 }]);
    expect(db.prepare("SELECT action, ip, target_id FROM audit_log WHERE action LIKE 'publication.%'").all()).toEqual([
      { action: 'publication.publish', ip: '10.0.0.1', target_id: String(r.kind === 'publish' && r.result.id) },
    ]);
    // again without a correction note: refused in the worker, the same error here
    const again = runPublishJob(db, job);
    await expect(again).rejects.toBeInstanceOf(PublishError);
    await expect(again).rejects.toThrow(/cần ghi rõ nội dung đính chính/);
    await expect(
      runPublishJob(db, { kind: 'preview', period: '2099-01', asOf: '2099-01-31', now: NOW }),
    ).rejects.toThrow(/ở tương lai/);
    // the worker is kept between jobs and still answers after refusals
    const again2 = await runPublishJob(db, { kind: 'preview', period: '2026-03', asOf: '2026-03-31', now: NOW });
    expect(again2.kind === 'preview' && again2.preview.period).toBe('2026-03');
    expect(db.prepare('SELECT count(*) FROM publications').pluck().get()).toBe(1);
  });

  it('the publish page previews and publishes through the worker on a database file', async () => {
    const t = makeTestApp({ dbPath: join(tmp, `app${++n}.db`), start: NOW });
    const lead = await t.cookieFor('confirmer');
    const preview = await t.get('/admin/publish/preview?period=03/2026&as_of=31/03/2026', lead);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('số liệu tính đến ngày 31/03/2026');
    const res = await t.post('/admin/publish', { period: '2026-03', as_of: '2026-03-31', note: '' }, lead);
    expect(res.status).toBe(303);
    expect(t.db.prepare('SELECT period, revision, created_by FROM publications').all()).toEqual([
      { period: '2026-03', revision: 1, created_by: t.users.confirmer.id },
    ]);
    expect(
      t.db.prepare("SELECT actor_user_id FROM audit_log WHERE action = 'publication.publish'").pluck().all(),
    ).toEqual([t.users.confirmer.id]);
    const refused = await t.post('/admin/publish', { period: '2026-03', as_of: '2026-03-31', note: '' }, lead);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('cần ghi rõ nội dung đính chính');
  });

  it('after a publication the next build’s open data and share images are made in the worker', async () => {
    const siteRoot = join(tmp, `site${++n}`);
    mkdirSync(siteRoot, { recursive: true });
    const t = makeTestApp({
      dbPath: join(tmp, `app${++n}.db`),
      start: NOW,
      env: { SITE_DIR: join(siteRoot, 'current') },
    });
    const lead = await t.cookieFor('confirmer');
    const res = await t.post('/admin/publish', { period: '2026-03', as_of: '2026-03-31', note: '' }, lead);
    expect(res.status).toBe(303);
    // the answer does not wait for it, nor does a preview: it runs in a worker of its own
    const preview = await runPublishJob(t.db, { kind: 'preview', period: '2026-03', asOf: '2026-03-31', now: NOW });
    expect(preview.kind).toBe('preview');
    await publishJobsSettled();
    const cached = (dir: string) =>
      existsSync(join(siteRoot, 'cache', dir)) ? readdirSync(join(siteRoot, 'cache', dir)) : [];
    expect(cached('og').filter((f) => f.endsWith('.png')).length).toBeGreaterThan(0);
    expect(cached('data').length).toBeGreaterThan(0);
  });

  const publishJob = (note: string) =>
    ({
      kind: 'publish',
      period: '2026-03',
      asOf: '2026-03-31',
      note,
      userId: null,
      now: NOW,
      audit: { at: NOW, actor: 'system' as const, targetType: 'publication' },
    }) as const;
  const previewJob = (asOf = '2026-03-31') => ({ kind: 'preview', period: '2026-03', asOf, now: NOW }) as const;
  const published = (r: Awaited<ReturnType<typeof runPublishJob>>) => {
    if (r.kind !== 'publish') throw new Error(r.kind);
    return r.result;
  };

  it('a publication right after its preview takes it over: the same bytes as computing it', async () => {
    const a = fileProvince();
    const b = fileProvince();
    await runPublishJob(a.db, previewJob());
    // what only records who did what (the lead's session touched, an audit row) is no change to the snapshot's data
    a.db.prepare("INSERT INTO audit_log (at, actor_kind, action) VALUES ('2026-04-05T03:00:00Z', 'system', 'x')").run();
    const taken = published(await runPublishJob(a.db, publishJob('')));
    const computed = published(await runPublishJob(b.db, publishJob('')));
    expect([taken.fromPreview, computed.fromPreview]).toEqual([true, false]);
    const details = (db: typeof a.db) =>
      JSON.parse(db.prepare("SELECT details FROM audit_log WHERE action LIKE 'publication.%'").pluck().get() as string);
    expect([details(a.db).asPreviewed, details(b.db).asPreviewed]).toEqual([true, undefined]);
    expect(taken.sha256).toBe(computed.sha256);
    // a correction: its note and time are the publication's own, not the preview's
    await runPublishJob(a.db, previewJob());
    const correction = published(await runPublishJob(a.db, publishJob('Đính chính số liệu Sở Tài chính')));
    const again = published(await runPublishJob(b.db, publishJob('Đính chính số liệu Sở Tài chính')));
    expect(correction.fromPreview).toBe(true);
    expect(correction.sha256).toBe(again.sha256);
    expect(readSnapshot(a.db, correction.id).note).toBe('Đính chính số liệu Sở Tài chính');
    // taken once: publishing again computes
    const third = published(await runPublishJob(a.db, publishJob('Đính chính lần 2')));
    expect(third.fromPreview).toBe(false);
  });

  it('computes again when anything was written since the preview, by another connection or the same one', async () => {
    // another connection (the server's, while the worker holds the preview)
    const { db } = fileProvince();
    await runPublishJob(db, previewJob());
    db.prepare(
      "INSERT OR REPLACE INTO settings (key, value) VALUES ('province_name', 'Ủy ban nhân dân tỉnh Thử')",
    ).run();
    const r = published(await runPublishJob(db, publishJob('')));
    expect(r.fromPreview).toBe(false);
    expect(readSnapshot(db, r.id).province).toBe('Ủy ban nhân dân tỉnh Thử');
    // the same connection (in process, an in-memory database): its own writes leave data_version as it was
    const mem = openDatabase(':memory:');
    buildFixtureProvince(mem);
    await executePublishJob(mem, previewJob());
    mem
      .prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('province_name', 'Ủy ban nhân dân tỉnh Mới')")
      .run();
    const m = published(await executePublishJob(mem, publishJob('')));
    expect(m.fromPreview).toBe(false);
    expect(readSnapshot(mem, m.id).province).toBe('Ủy ban nhân dân tỉnh Mới');
    // a preview of another cutoff is not this publication's
    await executePublishJob(mem, previewJob('2026-03-30'));
    expect(published(await executePublishJob(mem, publishJob('Chốt lại ngày 31/03'))).fromPreview).toBe(false);
  });

  it('preparations asked for while one runs become a single next one', async () => {
    const { db } = fileProvince();
    const siteDir = join(tmp, `site${++n}`);
    mkdirSync(siteDir, { recursive: true });
    await runPublishJob(db, publishJob(''));
    const job = { kind: 'prepare', siteDir, siteUrl: 'https://ubnd.example.vn' } as const;
    const [first, second, third] = await Promise.all([
      runPublishJob(db, job),
      runPublishJob(db, job),
      runPublishJob(db, job),
    ]);
    // the second and the third are the same run (one answer from the worker), the first another
    expect(second).toBe(third);
    expect(first).not.toBe(second);
    expect(first.kind === 'prepare' && second.kind === 'prepare').toBe(true);
    expect(readdirSync(join(siteDir, 'cache', 'og')).some((f) => f.endsWith('.png'))).toBe(true);
  });
});
