/**
 * Publishing off the request path (issue 14): a preview computes a month's snapshot (≈ 1 s on ten years, more under
 * load) and a publication computes it again and stores it. On the server's thread every other page waited that
 * long, so both run in a worker thread with its own connection to the database file (WAL: the server keeps reading
 * and writing meanwhile; the publication's insert and its audit row are one short immediate transaction in the
 * worker, as before). An in-memory database (tests) cannot be shared with another thread: there the same job runs in
 * process. As with the import (admin/import/run-job.ts), the worker loads the TypeScript modules with Node's own type
 * stripping. The worker is kept between jobs (one per database file), so only the first job pays for starting it.
 */
import { Worker } from 'node:worker_threads';
import { type AuditEntry, writeAudit } from '../audit/audit.ts';
import type { DB } from '../db/open.ts';
import { previewSnapshot, PublishError, type PublishResult, publishPeriod } from './publish.ts';
import type { Snapshot } from './schema.ts';
import { prepareBuildCaches } from './site-build-warm.ts';

const WORKER_URL = new URL('./publish-worker.ts', import.meta.url);

/** The audit row of a publication, written with it: everything but what only the publication knows. */
export type PublishAudit = Omit<AuditEntry, 'action' | 'targetId' | 'details' | 'at'> & { at: string };

export type PublishJob =
  | { kind: 'preview'; period: string; asOf: string; now: string }
  /** the next build's open data and share images made ahead (site-build-warm.ts), right after a publication */
  | { kind: 'prepare'; siteDir: string; siteUrl: string }
  | {
      kind: 'publish';
      period: string;
      asOf: string;
      note: string;
      userId: number | null;
      now: string;
      audit: PublishAudit;
    };

/** What the preview page shows of a snapshot (the whole one is ≈ 30 MB on ten years: not worth copying back). */
export interface SnapshotPreview {
  period: Snapshot['period'];
  asOf: Snapshot['asOf'];
  totals: Snapshot['totals'];
  agencies: Array<Pick<Snapshot['agencies'][number], 'code' | 'name' | 'counts'>>;
  /** task pages the period would publish */
  taskPages: number;
}

export type PublishJobResult =
  | { kind: 'preview'; preview: SnapshotPreview }
  | { kind: 'prepare'; openDataMs: number; imagesMs: number }
  | { kind: 'publish'; result: PublishResult };

/** The job itself, on whichever thread holds `db`. A refusal is a PublishError, as from the functions themselves. */
export async function executePublishJob(db: DB, job: PublishJob): Promise<PublishJobResult> {
  if (job.kind === 'prepare') {
    const r = await prepareBuildCaches(db, { siteDir: job.siteDir, siteUrl: job.siteUrl });
    return { kind: 'prepare', openDataMs: r.openDataMs, imagesMs: r.imagesMs };
  }
  if (job.kind === 'preview') {
    const s = previewSnapshot(db, job.period, job.asOf, new Date(job.now));
    const agencies = s.agencies.map((a) => ({ code: a.code, name: a.name, counts: a.counts }));
    return {
      kind: 'preview',
      preview: { period: s.period, asOf: s.asOf, totals: s.totals, agencies, taskPages: s.tasks.length },
    };
  }
  const { audit } = job;
  const result = publishPeriod(db, {
    period: job.period,
    asOf: job.asOf,
    note: job.note,
    userId: job.userId,
    now: new Date(job.now),
    // the audit row commits with the publication (publishPeriod's short insert transaction)
    afterInsert: (r) =>
      writeAudit(db, {
        ...audit,
        at: new Date(audit.at),
        action: r.revision > 1 ? 'publication.correct' : 'publication.publish',
        targetId: r.id,
        details: {
          period: r.period,
          revision: r.revision,
          asOf: r.asOf,
          sha256: r.sha256,
          taskCount: r.taskCount,
          ...(job.note ? { note: job.note } : {}),
        },
      }),
  });
  return { kind: 'publish', result };
}

type Answer = { ok: true; value: PublishJobResult } | { ok: false; refused: boolean; message: string };

/** What the worker sends back: the result, or the refusal's message (a PublishError is rebuilt on this side). */
export async function answerOf(run: () => Promise<PublishJobResult>): Promise<Answer> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, refused: e instanceof PublishError, message: (e as Error).message };
  }
}

interface Pool {
  worker: Worker;
  pending: Map<number, { resolve: (v: PublishJobResult) => void; reject: (e: Error) => void }>;
}
/** one worker per database file, kept between jobs: loading the modules and warming the connection cost ≈ 0.3–0.5 s */
const pools = new Map<string, Pool>();
let nextId = 0;

function poolFor(dbPath: string): Pool {
  const pool = pools.get(dbPath);
  if (pool) return pool;
  const worker = new Worker(WORKER_URL, { workerData: { dbPath }, execArgv: [] });
  worker.unref(); // an idle worker never keeps the process alive
  const p: Pool = { worker, pending: new Map() };
  const fail = (e: Error) => {
    pools.delete(dbPath);
    for (const { reject } of p.pending.values()) reject(e);
    p.pending.clear();
  };
  worker.on('message', (m: Answer & { id: number }) => {
    const job = p.pending.get(m.id);
    if (!job) return;
    p.pending.delete(m.id);
    if (p.pending.size === 0) worker.unref();
    if (m.ok) job.resolve(m.value);
    else job.reject(m.refused ? new PublishError(m.message) : new Error(m.message));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`Tiến trình công bố số liệu dừng bất thường (mã ${code}).`)));
  pools.set(dbPath, p);
  return p;
}

/** Runs the job in a worker thread on the database file (in process for an in-memory database). */
export function runPublishJob(db: DB, job: PublishJob): Promise<PublishJobResult> {
  if (db.memory) return executePublishJob(db, job);
  const pool = poolFor(db.name);
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pool.pending.set(id, { resolve, reject });
    pool.worker.ref(); // held while a job is running
    pool.worker.postMessage({ id, job });
  });
}

/** Ends the publishing workers (the server's close; tests). */
export async function stopPublishWorkers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.worker.terminate()));
}
