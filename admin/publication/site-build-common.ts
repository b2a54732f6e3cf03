/** What every part of the site build shares: the project root, the build root, the error type and progress lines. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Successful releases kept on disk (rollback targets), unless a build asks for another number. */
export const KEEP_RELEASES = 5;

export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

export interface BuildProgress {
  phase: 'prepare' | 'pages' | 'extras' | 'check' | 'switch' | 'prune' | 'done';
  message: string;
  done?: number;
  total?: number;
}

export function siteDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  // SITE_DIR names the folder the server serves at / (admin/env.ts): <root>/current, the link this build switches;
  // releases/ sit beside it. (Treating SITE_DIR as the root would build into the live release itself.)
  return env.SITE_DIR && env.SITE_DIR.trim() !== '' ? dirname(resolve(env.SITE_DIR)) : join(REPO_ROOT, 'data/site');
}

/**
 * A file written once per content into the build cache (its name carries the content's hash, so a changed content
 * is a new file and a killed build never leaves a half-written one); returns its path.
 */
export function cachedFile(dir: string, stem: string, ext: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${stem}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}${ext}`);
  if (!existsSync(path)) {
    writeFileSync(`${path}.tmp-${process.pid}`, text);
    renameSync(`${path}.tmp-${process.pid}`, path);
  }
  return path;
}

/** Every file under dir (absolute paths). */
export function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
