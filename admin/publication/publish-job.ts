/**
 * Publishing off the request path (issue 14): a preview computes a month's snapshot (≈ 1 s on ten years, more under
 * load) and a publication computes it again and stores it. On the server's thread every other page waited that
 * long, so both run in a worker thread with its own connection to the database file (WAL: the server keeps reading
 * and writing meanwhile; the publication's insert and its audit row are one short immediate transaction in the
 * worker, as before). An in-memory database (tests) cannot be shared with another thread: there the same job runs in
 * process. As with the import (admin/import/run-job.ts), the worker loads the TypeScript modules with Node's own type
 * stripping. The workers are kept between jobs (per database file), so only the first job pays for starting one.
 */
import { Worker } from 'node:worker_threads';
import { type AuditEntry, writeAudit } from '../audit/audit.ts';
import type { DB } from '../db/open.ts';
import { type ComputedPreview, computePreview, PublishError, type PublishResult, publishPeriod } from './publish.ts';
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

/**
 * The last preview on each connection, kept for the publication that usually follows it (the office lead reads the
 * preview, then publishes it): publishPeriod takes it over when nothing a snapshot reads was written since (the
 * data generation), which saves computing the same snapshot again (on ten years through the page, 0.6–0.9 s
 * instead of 1.1–1.3 s on a quiet host; README Benchmarks). Never handed out, so never changed; dropped by the next
 * preview or publication, or after ten minutes (it holds the whole snapshot).
 */
const keptPreviews = new WeakMap<DB, { preview: ComputedPreview; timer: NodeJS.Timeout }>();
const KEEP_PREVIEW_MS = 10 * 60_000;

function keepPreview(db: DB, preview: ComputedPreview | null): void {
  const kept = keptPreviews.get(db);
  if (kept) clearTimeout(kept.timer);
  keptPreviews.delete(db);
  if (!preview) return;
  const timer = setTimeout(() => keptPreviews.delete(db), KEEP_PREVIEW_MS);
  timer.unref();
  keptPreviews.set(db, { preview, timer });
}

/** The job itself, on whichever thread holds `db`. A refusal is a PublishError, as from the functions themselves. */
export async function executePublishJob(db: DB, job: PublishJob): Promise<PublishJobResult> {
  if (job.kind === 'prepare') {
    const r = await prepareBuildCaches(db, { siteDir: job.siteDir, siteUrl: job.siteUrl });
    return { kind: 'prepare', openDataMs: r.openDataMs, imagesMs: r.imagesMs };
  }
  if (job.kind === 'preview') {
    keepPreview(db, null);
    const computed = computePreview(db, job.period, job.asOf, new Date(job.now));
    keepPreview(db, computed);
    const s = computed.snapshot;
    const agencies = s.agencies.map((a) => ({ code: a.code, name: a.name, counts: a.counts }));
    return {
      kind: 'preview',
      preview: { period: s.period, asOf: s.asOf, totals: s.totals, agencies, taskPages: s.tasks.length },
    };
  }
  const { audit } = job;
  const preview = keptPreviews.get(db)?.preview;
  keepPreview(db, null);
  const result = publishPeriod(db, {
    preview,
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
          // the snapshot is the preview's, the data unchanged since it was shown (publish.ts)
          ...(r.fromPreview ? { asPreviewed: true } : {}),
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
/**
 * Two workers per database file, kept between jobs (loading the modules and warming the connection cost ≈ 0.3–0.5 s):
 * one for previews and publications, one for the preparation that follows a publication (seconds of open data,
 * share images and carried pages on ten years), so the office lead's next preview never waits behind it.
 */
const pools = new Map<string, Pool>();
let nextId = 0;
const running = new Set<Promise<unknown>>();

function poolFor(dbPath: string, lane: 'publish' | 'prepare'): Pool {
  const key = `${lane}:${dbPath}`;
  const pool = pools.get(key);
  if (pool) return pool;
  const worker = new Worker(WORKER_URL, { workerData: { dbPath }, execArgv: [] });
  worker.unref(); // an idle worker never keeps the process alive
  const p: Pool = { worker, pending: new Map() };
  const fail = (e: Error) => {
    pools.delete(key);
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
  pools.set(key, p);
  return p;
}

/**
 * Preparations are coalesced per database file: one runs, and those asked for meanwhile become a single next one
 * (with the latest request's options), since each prepares from the publications as they are when it starts; three
 * corrections in a row cost two preparations, not three queued behind each other.
 */
const preparations = new Map<string, { running: boolean; next: PreparationWaiting | null }>();
interface PreparationWaiting {
  job: PublishJob;
  promise: Promise<PublishJobResult>;
  settle: (p: Promise<PublishJobResult>) => void;
}

function runPreparation(db: DB, job: PublishJob): Promise<PublishJobResult> {
  const state = preparations.get(db.name) ?? { running: false, next: null };
  preparations.set(db.name, state);
  const start = (j: PublishJob): Promise<PublishJobResult> => {
    state.running = true;
    const p = post(db, j);
    const after = () => {
      state.running = false;
      const next = state.next;
      state.next = null;
      if (next) next.settle(start(next.job));
    };
    p.then(after, after);
    return p;
  };
  if (!state.running) return start(job);
  if (state.next) {
    state.next.job = job;
    return state.next.promise;
  }
  let settle!: (p: Promise<PublishJobResult>) => void;
  const promise = new Promise<PublishJobResult>((resolve) => {
    settle = resolve;
  });
  state.next = { job, promise, settle };
  return promise;
}

/** Runs the job in a worker thread on the database file (in process for an in-memory database). */
export function runPublishJob(db: DB, job: PublishJob): Promise<PublishJobResult> {
  if (db.memory) return executePublishJob(db, job);
  return job.kind === 'prepare' ? runPreparation(db, job) : post(db, job);
}

function post(db: DB, job: PublishJob): Promise<PublishJobResult> {
  const pool = poolFor(db.name, job.kind === 'prepare' ? 'prepare' : 'publish');
  const id = ++nextId;
  const done = new Promise<PublishJobResult>((resolve, reject) => {
    pool.pending.set(id, { resolve, reject });
    pool.worker.ref(); // held while a job is running
    pool.worker.postMessage({ id, job });
  });
  const settled = done.then(
    () => {},
    () => {},
  );
  running.add(settled);
  void settled.then(() => running.delete(settled));
  return done;
}

/** Resolves when every job started so far has ended (a preparation nobody awaits, in tests). */
export async function publishJobsSettled(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}

/** Ends the publishing workers (the server's close; tests). */
export async function stopPublishWorkers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  preparations.clear();
  await Promise.all(all.map((p) => p.worker.terminate()));
}
