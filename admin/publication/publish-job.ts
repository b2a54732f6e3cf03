/**
 * Publishing off the request path (issue 14): a preview computes a month's snapshot (≈ 1 s on ten years, more under
 * load) and a publication computes it again and stores it. On the server's thread every other page waited that
 * long, so both run in a worker thread with its own connection to the database file (WAL: the server keeps reading
 * and writing meanwhile; the publication's insert and its audit row are one short immediate transaction in the
 * worker, as before). An in-memory database (tests) cannot be shared with another thread: there the same job runs in
 * process. As with the import (admin/import/run-job.ts), the worker loads the TypeScript modules with Node's own type
 * stripping.
 */
import { Worker } from 'node:worker_threads';
import { type AuditEntry, writeAudit } from '../audit/audit.ts';
import type { DB } from '../db/open.ts';
import { previewSnapshot, PublishError, type PublishResult, publishPeriod } from './publish.ts';
import type { Snapshot } from './schema.ts';

const WORKER_URL = new URL('./publish-worker.ts', import.meta.url);

/** The audit row of a publication, written with it: everything but what only the publication knows. */
export type PublishAudit = Omit<AuditEntry, 'action' | 'targetId' | 'details' | 'at'> & { at: string };

export type PublishJob =
  | { kind: 'preview'; period: string; asOf: string; now: string }
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
  | { kind: 'publish'; result: PublishResult };

/** The job itself, on whichever thread holds `db`. A refusal is a PublishError, as from the functions themselves. */
export function executePublishJob(db: DB, job: PublishJob): PublishJobResult {
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
export function answerOf(run: () => PublishJobResult): Answer {
  try {
    return { ok: true, value: run() };
  } catch (e) {
    return { ok: false, refused: e instanceof PublishError, message: (e as Error).message };
  }
}

/** Runs the job in a worker thread on the database file (in process for an in-memory database). */
export function runPublishJob(db: DB, job: PublishJob): Promise<PublishJobResult> {
  if (db.memory) return Promise.resolve().then(() => executePublishJob(db, job));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { dbPath: db.name, job }, execArgv: [] });
    let settled = false;
    worker.once('message', (m: Answer) => {
      settled = true;
      if (m.ok) resolve(m.value);
      else reject(m.refused ? new PublishError(m.message) : new Error(m.message));
    });
    worker.once('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`Tiến trình công bố số liệu dừng bất thường (mã ${code}).`));
      settled = true;
    });
  });
}
