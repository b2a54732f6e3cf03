/**
 * Where a province's published files come from (issue 13, national roll-up): a folder copied from its public site
 * (the release folder that data/site/current points to) or its http(s) origin. Both are read by site path
 * (/du-lieu-mo/danh-muc.json, /du-lieu-mo/<period>/…), so validation does not care which one it reads.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface Source {
  /** as given on the command line (a folder or an origin), for messages */
  label: string;
  kind: 'folder' | 'url';
  /** the origin of a URL source (no trailing slash); null for a folder */
  origin: string | null;
  /**
   * said instead of a link when the source has no public address (a folder): where its report pages are; by
   * default their place in the folder. The demo's open-data-only provinces have no pages (admin/demo/national.ts).
   */
  pagesNote?: string;
  /** the bytes at a site path ("/du-lieu-mo/danh-muc.json"); throws SourceError when it cannot be read */
  read(path: string): Promise<Buffer>;
}

/** A file of a source that cannot be read; the message is Vietnamese and names the file. */
export class SourceError extends Error {}

/** A site path (from an absolute URL in the catalogue or a path) made safe to join under the source's root. */
export function sitePath(urlOrPath: string): string {
  const pathname = /^https?:\/\//i.test(urlOrPath) ? new URL(urlOrPath).pathname : urlOrPath;
  const decoded = decodeURIComponent(pathname);
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || p.includes('\\')))
    throw new SourceError(`Đường dẫn "${urlOrPath}" ra ngoài thư mục của nguồn.`);
  return `/${parts.join('/')}`;
}

function folderSource(label: string, dir: string): Source {
  return {
    label,
    kind: 'folder',
    origin: null,
    async read(path) {
      const file = join(dir, sitePath(path));
      try {
        return await readFile(file);
      } catch {
        throw new SourceError(`Không đọc được tệp ${sitePath(path)} trong thư mục ${dir}.`);
      }
    },
  };
}

function urlSource(label: string, origin: string, fetchFn: typeof fetch): Source {
  return {
    label,
    kind: 'url',
    origin,
    async read(path) {
      const url = `${origin}${sitePath(path)}`;
      let res: Response;
      try {
        res = await fetchFn(url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
      } catch (err) {
        throw new SourceError(`Không tải được ${url}: ${(err as Error).message}.`);
      }
      if (!res.ok) throw new SourceError(`Không tải được ${url}: máy chủ trả lời ${res.status}.`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}

/**
 * A --source argument as a Source, or a Vietnamese message saying why it is not one (a bad argument, not a bad
 * package: the command stops before reading anything).
 */
export async function openSource(
  arg: string,
  fetchFn: typeof fetch = fetch,
): Promise<{ ok: true; source: Source } | { ok: false; message: string }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) {
    let url: URL;
    try {
      url = new URL(arg);
    } catch {
      return { ok: false, message: `Nguồn "${arg}" không phải là địa chỉ hợp lệ.` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { ok: false, message: `Nguồn "${arg}" phải là địa chỉ http(s) hoặc một thư mục.` };
    return { ok: true, source: urlSource(arg, url.origin, fetchFn) };
  }
  const dir = resolve(arg);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) return { ok: false, message: `Nguồn "${arg}" không phải là thư mục có sẵn hay địa chỉ http(s).` };
  return { ok: true, source: folderSource(arg, dir) };
}
