/**
 * Lighthouse (the npm package) against pages of a built public release, in Debian's Chromium (no browser download):
 * the release is served by the product's own server (admin app, public release at /), so the scores measure what
 * the public actually gets. Used by scripts/bench/site.bench.ts; also runnable alone:
 *   npx tsx scripts/bench/lighthouse.ts data/site/current / /co-quan/STC/
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { openDatabase } from '../../admin/db/open.ts';
import { loadEnv } from '../../admin/env.ts';
import { startServer } from '../../admin/server.ts';

export interface LighthouseScore {
  path: string;
  performance: number;
  accessibility: number;
  /** largest contentful paint, ms (simulated mobile throttling) */
  lcpMs: number;
  /** the weighted performance metrics, as Lighthouse displays them */
  metrics: Record<string, string>;
  failedAudits: string[];
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Serves `releaseDir` at / with the real admin server on a free loopback port and runs Lighthouse on each path. */
export async function lighthouseScores(releaseDir: string, paths: string[]): Promise<LighthouseScore[]> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Không thấy Chromium tại ${CHROMIUM}: cài bằng "npx tsx scripts/ensure-chromium.ts" (gói chromium của Debian) hoặc đặt CHROMIUM_PATH.`,
    );
  }
  const tmp = mkdtempSync(join(tmpdir(), 'tdnv-lh-'));
  const db = openDatabase(join(tmp, 'app.db'));
  const env = loadEnv({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    ORIGIN: 'http://localhost:3000',
    SITE_DIR: resolve(releaseDir),
    DATABASE_PATH: join(tmp, 'app.db'),
  });
  const server = await startServer(env, { db, quiet: true });
  mkdirSync(join(tmp, 'chrome'));
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    userDataDir: join(tmp, 'chrome'),
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const out: LighthouseScore[] = [];
    for (const path of paths) {
      // Lighthouse's own trace recording sometimes fails (NO_NAVSTART, NO_FCP) on a loaded machine: its advice is to
      // run again, so each page gets up to three attempts before the error is reported
      let lhr: NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'] | null = null;
      for (let attempt = 1; attempt <= 3 && !lhr; attempt++) {
        const result = await lighthouse(`${server.url}${path}`, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility'],
        });
        if (!result) throw new Error(`Lighthouse gave no result for ${path}`);
        if (!result.lhr.runtimeError) lhr = result.lhr;
        else if (attempt === 3)
          throw new Error(`Lighthouse: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
      }
      if (!lhr) throw new Error(`Lighthouse gave no result for ${path}`);
      const failed = Object.values(lhr.audits)
        .filter(
          (a) =>
            a.score !== null && a.score < 1 && (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric'),
        )
        .filter((a) => lhr.categories.accessibility?.auditRefs.some((r) => r.id === a.id && r.weight > 0))
        .map((a) => a.id);
      out.push({
        path,
        performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
        accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
        lcpMs: Math.round(Number(lhr.audits['largest-contentful-paint']?.numericValue ?? 0)),
        metrics: Object.fromEntries(
          (lhr.categories.performance?.auditRefs ?? [])
            .filter((r) => r.weight > 0)
            .map((r) => [r.id, `${lhr.audits[r.id]?.displayValue ?? '?'} (${lhr.audits[r.id]?.score ?? '?'})`]),
        ),
        failedAudits: failed,
      });
    }
    return out;
  } finally {
    chrome.kill();
    await server.close();
    db.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = 'data/site/current', ...paths] = process.argv.slice(2);
  const scores = await lighthouseScores(dir, paths.length ? paths : ['/']);
  for (const s of scores) {
    console.log(
      `${s.path}: hiệu năng ${s.performance}, tiếp cận ${s.accessibility}, ${JSON.stringify(s.metrics)}${s.failedAudits.length ? `; chưa đạt: ${s.failedAudits.join(', ')}` : ''}`,
    );
  }
}
