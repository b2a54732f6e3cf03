/**
 * An accepted upload kept between two submissions of the same form (issue 11): browsers never refill a file input,
 * so when the document entry form comes back with errors, the file already chosen (and already checked by
 * acceptUpload) is held on the server under a random token that the form carries in a hidden field; the next
 * submission of the same user uses it unless another file is chosen.
 *
 * Held files live in <uploadDir>/held/, named by the SHA-256 of the token (the token itself is never stored), with
 * a small JSON of who chose it and its name; they expire after HOLD_MS and are swept whenever another is held.
 * They are never served: only the document that finally uses one stores it as a normal upload (store.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../env.ts';
import { acceptUpload, UploadError, type AcceptedUpload } from './store.ts';

export const HOLD_MS = 24 * 60 * 60_000;
const TOKEN_RE = /^[0-9a-f]{64}$/;
const HELD_NAME_RE = /^[0-9a-f]{64}\.(bin|json)$/;

type Deps = { env: Pick<Env, 'uploadDir' | 'uploadMaxBytes'>; now: Date };

function heldDir(env: Pick<Env, 'uploadDir'>): string {
  return join(env.uploadDir, 'held');
}

function paths(env: Pick<Env, 'uploadDir'>, token: string): { bin: string; json: string } {
  const h = createHash('sha256').update(token).digest('hex');
  return { bin: join(heldDir(env), `${h}.bin`), json: join(heldDir(env), `${h}.json`) };
}

/** Removes held files older than HOLD_MS; returns how many. */
export function sweepHeldUploads(env: Pick<Env, 'uploadDir'>, now: Date): number {
  let names: string[];
  try {
    names = readdirSync(heldDir(env));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const n of names) {
    if (!HELD_NAME_RE.test(n)) continue;
    const p = join(heldDir(env), n);
    if (now.getTime() - statSync(p).mtimeMs >= HOLD_MS) {
      rmSync(p, { force: true });
      removed++;
    }
  }
  return removed;
}

/** Holds an accepted upload for `userId`; returns the token to put in the form. */
export function holdUpload(deps: Deps, userId: number, upload: AcceptedUpload): string {
  sweepHeldUploads(deps.env, deps.now);
  mkdirSync(heldDir(deps.env), { recursive: true, mode: 0o750 });
  const token = randomBytes(32).toString('hex');
  const p = paths(deps.env, token);
  writeFileSync(p.bin, upload.bytes, { mode: 0o640, flag: 'wx' });
  writeFileSync(p.json, JSON.stringify({ userId, name: upload.originalName, at: deps.now.toISOString() }), {
    mode: 0o640,
    flag: 'wx',
  });
  return token;
}

/**
 * The upload held under `token` for `userId`, checked again by content as any upload is; an UploadError with a
 * Vietnamese message when the token is malformed, unknown, expired or another user's.
 */
export async function heldUpload(deps: Deps, userId: number, token: string): Promise<AcceptedUpload> {
  const gone = new UploadError(
    'not_a_file',
    'Tệp đã chọn trước đó không còn được giữ (quá 24 giờ hoặc không hợp lệ); hãy chọn lại tệp.',
  );
  if (!TOKEN_RE.test(token)) throw gone;
  const p = paths(deps.env, token);
  let meta: { userId?: unknown; name?: unknown; at?: unknown };
  let bytes: Buffer;
  try {
    meta = JSON.parse(readFileSync(p.json, 'utf8')) as typeof meta;
    bytes = readFileSync(p.bin);
  } catch {
    throw gone;
  }
  const at = typeof meta.at === 'string' ? Date.parse(meta.at) : Number.NaN;
  if (meta.userId !== userId || !(deps.now.getTime() - at < HOLD_MS)) throw gone;
  const name = typeof meta.name === 'string' ? meta.name : 'tệp';
  return acceptUpload(new File([new Uint8Array(bytes)], name), { maxBytes: deps.env.uploadMaxBytes });
}

/** Forgets a held upload (once the document that used it is recorded). */
export function releaseHeldUpload(env: Pick<Env, 'uploadDir'>, token: string): void {
  if (!TOKEN_RE.test(token)) return;
  const p = paths(env, token);
  rmSync(p.bin, { force: true });
  rmSync(p.json, { force: true });
}
