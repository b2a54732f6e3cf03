/**
 * The public search loads its index in parts (site/lib/search-index.ts) and must answer exactly as the single-file
 * search did: every folded term a substring of the task's folded "code title agency-name", agencies on "name code",
 * the first 200 tasks in code order. The browser's own engine (site/public/js/search.js, run in Node) is compared
 * with that search over every task of a generated province, on a table of queries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { generateProvince } from '../demo/generate.ts';
import { foldVietnamese } from '../domain/text.ts';
import { CATEGORIES } from './schema.ts';
import { previewSnapshot } from './publish.ts';
import {
  buildSearchIndex,
  CHUNK_SIZE,
  decodeCodes,
  encodeCodes,
  type SearchAgency,
  type SearchTask,
} from '../../site/lib/search-index.ts';
import { browserSearch, indexFiles, type SearchAnswer } from '../../site/lib/search-node.ts';

let agencies: SearchAgency[];
let tasks: SearchTask[];
let files: Map<string, string>;

beforeAll(() => {
  const db = openDatabase(':memory:');
  const summary = generateProvince(db, { years: 2, seed: 'search', endDate: '2026-10-31' });
  const snapshot = previewSnapshot(db, summary.to.slice(0, 7), summary.to, new Date('2026-11-05T03:00:00Z'));
  db.close();
  agencies = snapshot.agencies;
  tasks = snapshot.tasks;
  files = indexFiles(buildSearchIndex(agencies, tasks));
});

/** The single-file search of site/public/js/search.js before issue 14, over every task. */
function bruteForce(q: string): SearchAnswer {
  const terms = foldVietnamese(q).split(' ').filter(Boolean);
  const hit = (s: string) => terms.every((t) => s.includes(t));
  const index = new Map(agencies.map((a, i) => [a.code, i]));
  const out: SearchAnswer = { agencies: [], tasks: [] };
  for (const a of agencies)
    if (hit(foldVietnamese(`${a.name} ${a.code}`))) out.agencies.push([a.code, a.name, expect.any(String) as never]);
  for (const t of tasks) {
    if (out.tasks.length >= 200) break;
    const agency = index.get(t.leadAgency) ?? 0;
    if (hit(foldVietnamese(`${t.code} ${t.title} ${agencies[agency]!.name}`)))
      out.tasks.push([t.code, t.title, agency, CATEGORIES.indexOf(t.status)]);
  }
  return out;
}

describe('the sharded search index', () => {
  it('spans several chunks on the generated province', () => {
    expect(tasks.length).toBeGreaterThan(3 * CHUNK_SIZE);
    const inOrder = [...files.keys()].filter((p) => /^\/tim-kiem\/chi-muc\/\d/.test(p));
    expect(inOrder).toHaveLength(Math.ceil(tasks.length / CHUNK_SIZE));
  });

  it('answers as a search over every task', async () => {
    const last = tasks.at(-1)!;
    const rare = tasks.find((t) => /lập/.test(t.title))?.title ?? tasks[0]!.title;
    const queries = [
      'so tai chinh',
      'Sở Tài chính',
      'SỞ TÀI CHÍNH',
      'y te',
      'Sở Y tế',
      'ke hoach dau tu',
      'kế hoạch đầu tư',
      'ubnd huyen cam lo',
      'quang trung',
      'benh vien da khoa',
      'cong an tinh',
      'chuyen doi so',
      'dat dai',
      'ngan sach',
      'bao cao tinh hinh',
      'a',
      'tai',
      'xyz khong co',
      'stc',
      last.code,
      last.code.toLowerCase(),
      last.code.slice(-5),
      `${last.code} ${last.title.split(' ')[0]}`,
      rare,
      foldVietnamese(rare),
      '2025',
      'nv-2026',
      '  so   tai   chinh  ',
    ];
    // every agency's name, folded and not: the searches that may read the agencies' own files
    for (const a of agencies) queries.push(foldVietnamese(a.name));
    for (const q of queries) {
      const { engine } = browserSearch(files);
      const res = await engine.search(q);
      expect({ agencies: res.agencies, tasks: res.tasks }, q).toEqual(bruteForce(q));
    }
  });

  it('finds agencies by name and code, with their page', async () => {
    const { engine } = browserSearch(files);
    const res = await engine.search('so tai chinh');
    expect(res.agencies.map((a) => a.slice(0, 2))).toEqual([['STC', 'Sở Tài chính']]);
    expect(res.agencies[0]![2]).toBe('stc');
  });

  it('loads the manifest and only the chunks that can hold a hit', async () => {
    const { engine, fetched } = browserSearch(files);
    const code = tasks[tasks.length - 1]!.code;
    const res = await engine.search(code);
    expect(res.tasks.map((t) => t[0])).toEqual([code]);
    expect(fetched).toHaveLength(2);
    expect(fetched[0]).toBe('/tim-kiem/chi-muc.json');
    const none = browserSearch(files);
    expect((await none.engine.search('xyz khong co')).tasks).toEqual([]);
    expect(none.fetched).toEqual(['/tim-kiem/chi-muc.json']);
  });

  it("a small unit's name reads its own file, not years of chunks", async () => {
    const { engine, fetched } = browserSearch(files);
    const res = await engine.search('ubnd huyen cam lo');
    expect(res.tasks.length).toBeGreaterThan(0);
    expect(res.tasks.every((t) => agencies[t[2]]!.name === 'UBND huyện Cam Lộ')).toBe(true);
    expect(fetched.slice(1).every((p) => p.startsWith('/tim-kiem/chi-muc/a'))).toBe(true);
    expect(fetched.length).toBeLessThanOrEqual(3);
  });

  it('a second search reuses what the first loaded', async () => {
    const { engine, fetched } = browserSearch(files);
    await engine.search('so tai chinh');
    const n = fetched.length;
    await engine.search('so tai chinh');
    expect(fetched).toHaveLength(n);
  });

  it('codes survive their compact form', () => {
    const codes = ['NV-2016-00001', 'NV-2016-00002', 'NV-2016-00010', 'NV-2017-001', 'X', 'A1', 'A12', 'B 007', '9'];
    expect(decodeCodes(encodeCodes(codes))).toEqual(codes);
    expect(decodeCodes(encodeCodes(tasks.map((t) => t.code)))).toEqual(tasks.map((t) => t.code));
  });
});
