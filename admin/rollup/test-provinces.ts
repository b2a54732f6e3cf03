/**
 * Test support for the roll-up: real releases of small provinces (the fixture province under another name, with
 * extra overdue tasks so the figures differ), built with buildSite as a province's office would, and a small
 * static server for the http(s) source.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { realpathSync } from 'node:fs';
import { openDatabase } from '../db/open.ts';
import { createTask } from '../domain/tasks.ts';
import { publishPeriod } from '../publication/publish.ts';
import { buildSite } from '../publication/site-build.ts';
import { buildFixtureProvince, type FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { storeLegacySnapshot } from '../test/fixtures/stored-snapshots.ts';

export interface TestProvince {
  name: string;
  siteUrl: string;
  /** the release folder data/site/current points to */
  releaseDir: string;
}

/**
 * Builds one province's release: the fixture renamed, `extraOverdue` more overdue tasks, the periods given, and
 * with `legacyFebruary` a stored schema-version-1 snapshot of 2026-02 (the fixture's own, named Mẫu Sơn).
 */
export async function buildTestProvince(
  dir: string,
  opts: {
    name: string;
    siteUrl: string;
    extraOverdue: number;
    periods: ReadonlyArray<(typeof FIXTURE_PERIODS)[number]>;
    legacyFebruary?: boolean;
  },
): Promise<TestProvince> {
  const db = openDatabase(join(dir, 'app.db'));
  try {
    buildFixtureProvince(db);
    db.prepare("UPDATE settings SET value = ? WHERE key = 'province_name'").run(opts.name);
    db.prepare("UPDATE settings SET value = ? WHERE key = 'office_name'").run(`Văn phòng ${opts.name}`);
    const stc = db.prepare("SELECT id FROM agencies WHERE code = 'STC'").pluck().get() as number;
    for (let i = 0; i < opts.extraOverdue; i++)
      createTask(db, {
        title: `Nhiệm vụ bổ sung ${i + 1}`,
        leadAgencyId: stc,
        assignedOn: '2026-03-02',
        deadline: '2026-03-10',
      });
    if (opts.legacyFebruary) storeLegacySnapshot(db, '2026-02');
    for (const p of opts.periods)
      publishPeriod(db, { ...p, now: new Date(Date.parse(`${p.asOf}T03:00:00Z`) + 5 * 86_400_000) });
    await buildSite({ db, siteDir: join(dir, 'site'), trigger: 'test', siteUrl: opts.siteUrl });
  } finally {
    db.close();
  }
  return { name: opts.name, siteUrl: opts.siteUrl, releaseDir: realpathSync(join(dir, 'site', 'current')) };
}

/** Serves a release folder over http on a random port (index.html for a folder path). */
export async function serveFolder(root: string): Promise<{ origin: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    hits.push(path);
    readFile(join(root, path.endsWith('/') ? `${path}index.html` : path)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, server, hits };
}
