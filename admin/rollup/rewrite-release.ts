/**
 * A copy of a province's published open data with some snapshot fields changed and every hash recomputed, so the
 * copy is again a valid package (the roll-up's tests and bench make several provinces out of one release this way;
 * the tests also forge a newer schema version that only the schema check can catch). Only du-lieu-mo/ is copied:
 * it is all the roll-up reads. Unchanged files are hard-linked; changed ones are unlinked first and written anew,
 * so the original release is never touched.
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sitePath } from './sources.ts';

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) linkTree(join(from, e.name), join(to, e.name));
    else linkSync(join(from, e.name), join(to, e.name));
  }
}

function replaceFile(path: string, text: string): Buffer {
  const buf = Buffer.from(text, 'utf8');
  rmSync(path, { force: true });
  writeFileSync(path, buf);
  return buf;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Json = Record<string, unknown>;

/**
 * Copies releaseDir's du-lieu-mo/ into dest/du-lieu-mo/, applies `edit` to every period's snapshot JSON and
 * `editCatalogue` to danh-muc.json, and writes the sizes and SHA-256 the package and catalogue then need.
 */
export function rewriteRelease(
  releaseDir: string,
  dest: string,
  edit: (snapshot: Json) => void,
  editCatalogue: (catalogue: Json) => void = () => {},
): void {
  linkTree(join(releaseDir, 'du-lieu-mo'), join(dest, 'du-lieu-mo'));
  const cataloguePath = join(dest, 'du-lieu-mo', 'danh-muc.json');
  const catalogue = JSON.parse(readFileSync(cataloguePath, 'utf8')) as Json & {
    periods: Array<{ datapackage: string; sha256: string }>;
  };
  for (const entry of catalogue.periods) {
    const pkgPath = join(dest, sitePath(entry.datapackage));
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Json & {
      resources: Array<{ path: string; format: string; bytes: number; hash: string }>;
    };
    const json = pkg.resources.find((r) => r.format === 'json')!;
    const file = join(pkgPath, '..', json.path);
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Json;
    edit(snapshot);
    const buf = replaceFile(file, JSON.stringify(snapshot));
    json.bytes = buf.length;
    json.hash = `sha256:${sha256(buf)}`;
    entry.sha256 = sha256(buf);
    if (typeof snapshot.schemaVersion === 'number') pkg.schemaVersion = snapshot.schemaVersion;
    if (typeof snapshot.province === 'string') pkg.title = `Theo dõi nhiệm vụ UBND tỉnh giao — ${snapshot.province}`;
    replaceFile(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  editCatalogue(catalogue);
  replaceFile(cataloguePath, `${JSON.stringify(catalogue, null, 2)}\n`);
}
