/**
 * The public search loads its index in parts (site/lib/search-index.ts) and must answer exactly as the single-file
 * search did: every folded term a substring of the task's folded "code title agency-name", agencies on "name code",
 * hits in code order. The browser's own engine (site/public/js/search.js, run in Node) is compared with that search
 * over every task of a generated province, on a table of queries and on random ones; no confidential task reaches
 * any file of the index.
 */
import fc from 'fast-check';
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
import { decodeSet, encodeSet } from '../../site/lib/search-postings.ts';
import { browserSearch, type SearchRow } from '../../site/lib/search-node.ts';
import { searchIndexFiles } from '../../site/lib/search-index.ts';

let agencies: SearchAgency[];
let tasks: SearchTask[];
let files: Map<string, string>;
const SECRET = 'Nhiệm vụ mật Zyxwvut phương án Qoppa';
const secretCodes: string[] = [];

beforeAll(() => {
  const db = openDatabase(':memory:');
  const summary = generateProvince(db, { years: 2, seed: 'search', endDate: '2026-10-31' });
  // a few confidential tasks with words no public task has: none of it may reach the index
  const picked = db.prepare('SELECT code FROM tasks ORDER BY id LIMIT 3 OFFSET 40').pluck().all() as string[];
  for (const code of picked) {
    db.prepare('UPDATE tasks SET confidential = 1, title = ? WHERE code = ?').run(`${SECRET} ${code}`, code);
    secretCodes.push(code);
  }
  const snapshot = previewSnapshot(db, summary.to.slice(0, 7), summary.to, new Date('2026-11-05T03:00:00Z'));
  db.close();
  agencies = snapshot.agencies;
  tasks = snapshot.tasks;
  files = searchIndexFiles(buildSearchIndex(agencies, tasks));
});

/** The search of site/public/js/search.js before issue 14, over every task: the hits and all their rows. */
function bruteForce(q: string) {
  // the engine reads the first 200 folded characters of a query (the page's field takes no more)
  const terms = foldVietnamese(q).slice(0, 200).split(' ').filter(Boolean);
  const hit = (s: string) => terms.every((t) => s.includes(t));
  const index = new Map(agencies.map((a, i) => [a.code, i]));
  const found: Array<[string, string, string]> = [];
  for (const a of agencies) if (hit(foldVietnamese(`${a.name} ${a.code}`))) found.push([a.code, a.name, a.code]);
  const rows: SearchRow[] = [];
  for (const t of tasks) {
    const agency = index.get(t.leadAgency) ?? 0;
    if (hit(foldVietnamese(`${t.code} ${t.title} ${agencies[agency]!.name}`)))
      rows.push([t.code, t.title, agency, CATEGORIES.indexOf(t.status)]);
  }
  return { agencies: found, rows };
}

/** The engine's answer with the rows of every page up to the first 200 hits (what the old page showed). */
async function engineAnswer(q: string) {
  const { engine } = browserSearch(files);
  const res = await engine.search(q);
  const rows = [...res.tasks];
  for (let p = 1; p < res.pages && rows.length < 200; p++) rows.push(...(await res.page(p)));
  return { agencies: res.agencies.map((a) => [a[0], a[1], a[0]]), total: res.total, rows, first: res.tasks };
}

async function expectSameAsBruteForce(q: string) {
  const want = bruteForce(q);
  const got = await engineAnswer(q);
  expect(got.agencies, q).toEqual(want.agencies);
  expect(got.total, q).toBe(want.rows.length);
  expect(got.rows, q).toEqual(want.rows.slice(0, got.rows.length));
  expect(got.rows.length, q).toBe(Math.min(want.rows.length, Math.max(200, got.first.length)));
}

describe('the sharded search index', () => {
  it('spans several detail chunks on the generated province', () => {
    expect(tasks.length).toBeGreaterThan(3 * CHUNK_SIZE);
    const chunks = [...files.keys()].filter((p) => /^\/tim-kiem\/chi-muc\/\d/.test(p));
    expect(chunks).toHaveLength(Math.ceil(tasks.length / CHUNK_SIZE));
  });

  it('answers as a search over every task, on a table of queries', async () => {
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
      'so tai chinh ngan sach',
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
      `${rare} ${rare}`,
      '2025',
      'nv-2026',
      '  so   tai   chinh  ',
      '',
      '   ',
      '!!!',
      '...',
      '"',
      '-',
      'hop,',
      '(',
      'so so so',
      'tai tai chinh',
      'a b c d e f g h i k l m n o p q r s t u v x y',
    ];
    // every agency's name, folded and not
    for (const a of agencies) queries.push(a.name, foldVietnamese(a.name));
    // long queries whose last (commonest) terms are checked in the few tasks the others leave: a whole title with
    // a common word that its task lacks, or has
    const texts = tasks.map((t) =>
      foldVietnamese(`${t.code} ${t.title} ${agencies.find((a) => a.code === t.leadAgency)?.name}`),
    );
    const common = ['tinh', 'ubnd', 'nam', 'bao', 'cao', 've'];
    for (const [i, t] of tasks.entries()) {
      if (i % 97 !== 0) continue;
      const lacking = common.find((w) => !texts[i]!.includes(w));
      if (lacking) queries.push(`${t.title} ${lacking}`);
      queries.push(`${t.title} ${common.find((w) => texts[i]!.includes(w)) ?? ''}`);
    }
    for (const q of queries) await expectSameAsBruteForce(q);
  });

  it('answers as a search over every task, on random queries', async () => {
    const words = [...new Set(tasks.flatMap((t) => t.title.split(' ')))];
    const piece = fc.oneof(
      fc.constantFrom(...words),
      fc.constantFrom(...words).map((w) => foldVietnamese(w)),
      fc.constantFrom(...words).map((w) => w.toUpperCase()),
      fc
        .tuple(fc.constantFrom(...words), fc.nat(), fc.nat())
        .map(([w, i, j]) => foldVietnamese(w).slice(i % w.length, (i % w.length) + 1 + (j % 4))),
      fc.constantFrom(...tasks.map((t) => t.code)).map((c) => c.slice(-4)),
      fc.constantFrom(...agencies.map((a) => a.code)),
      fc.string({ maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 4 }), async (parts) => {
        await expectSameAsBruteForce(parts.join(' '));
      }),
      { numRuns: 150, seed: 14 },
    );
  });

  it('finds agencies by name and code, with their page', async () => {
    const { engine } = browserSearch(files);
    const res = await engine.search('so tai chinh');
    expect(res.agencies.map((a) => a.slice(0, 2))).toEqual([['STC', 'Sở Tài chính']]);
    expect(res.agencies[0]![2]).toBe('stc');
  });

  it('loads the manifest and the details of the shown hits only', async () => {
    const { engine, fetched } = browserSearch(files);
    const code = tasks[tasks.length - 1]!.code;
    const res = await engine.search(code);
    expect(res.tasks.map((t) => t[0])).toEqual([code]);
    expect(fetched).toHaveLength(2);
    expect(fetched[0]).toBe('/tim-kiem/chi-muc.json');
    const none = browserSearch(files);
    expect((await none.engine.search('xyz khong co')).tasks).toEqual([]);
    expect(none.fetched).toEqual(['/tim-kiem/chi-muc.json']);
    // one set file a term, all asked for at once, and at most a page of detail chunks
    const many = browserSearch(files, { overlap: true });
    const answer = await many.engine.search('so tai chinh ngan sach');
    const sets = many.fetched.filter((p) => p.includes('/t-'));
    expect(sets).toHaveLength(5);
    expect(many.maxInFlight()).toBeGreaterThanOrEqual(5);
    expect(many.fetched.length - 1 - sets.length).toBeLessThanOrEqual(many.engine.page);
    expect(answer.tasks).toHaveLength(Math.min(answer.total, many.engine.page));
    // a whole title: its common words are held by every task its rare words leave, and need no file
    const copies = new Map<string, number>();
    for (const t of tasks) if (t.title.split(' ').length >= 12) copies.set(t.title, (copies.get(t.title) ?? 0) + 1);
    const title = [...copies].sort((a, b) => b[1] - a[1])[0]![0];
    const long = browserSearch(files);
    await long.engine.search(title);
    const terms = new Set(foldVietnamese(title).split(' '));
    expect(long.fetched.filter((p) => p.includes('/t-')).length).toBeLessThan(terms.size - 2);
  });

  it('a second search reuses what the first loaded', async () => {
    const { engine, fetched } = browserSearch(files);
    await engine.search('so tai chinh');
    const n = fetched.length;
    await engine.search('so tai chinh');
    await engine.search('tai chinh');
    expect(fetched).toHaveLength(n);
  });

  it('bad input answers without throwing: very long, punctuation only, control characters', async () => {
    const { engine } = browserSearch(files);
    const long = Array.from({ length: 5000 }, (_, i) => `tu${i}`).join(' ');
    for (const q of [long, 'a'.repeat(100_000), '!@#$%^&*()', '\u0000\u0001\u200b', '\ud800', '🙂 so']) {
      const res = await engine.search(q);
      expect(res.total, q.slice(0, 20)).toBe(bruteForce(q).rows.length);
    }
  });

  it('holds no confidential task: no title, no code, no word of its own', () => {
    expect(tasks.map((t) => t.code)).not.toContain(secretCodes[0]);
    const manifest = JSON.parse(files.get('/tim-kiem/chi-muc.json')!) as { count: number; words: string[] };
    expect(manifest.count).toBe(tasks.length);
    expect(manifest.words).not.toContain('zyxwvut');
    for (const [path, text] of files) {
      for (const s of [...secretCodes, 'Zyxwvut', 'zyxwvut', 'Qoppa', 'qoppa'])
        expect(text.includes(s), `${path} contains ${s}`).toBe(false);
      // a set names public tasks only
      if (path.includes('/t-'))
        for (const i of decodeSet((JSON.parse(text) as { p: string }).p, tasks.length))
          expect(i).toBeLessThan(tasks.length);
    }
  });

  it('sets and codes survive their compact forms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.array(fc.nat()), (n, picks) => {
        const set = [...new Set(picks.filter(() => n > 0).map((p) => p % Math.max(n, 1)))].sort((a, b) => a - b);
        expect(decodeSet(encodeSet(set, n), n)).toEqual(set);
      }),
      { seed: 14 },
    );
    const codes = ['NV-2016-00001', 'NV-2016-00002', 'NV-2016-00010', 'NV-2017-001', 'X', 'A1', 'A12', 'B 007', '9'];
    // steps backwards, by zero and across fifteen digits
    codes.push('Z9', 'Z3', 'Z7', 'Z7', 'Z0', 'Q000000000000001', 'Q999999999999999', 'Q000000000000000');
    expect(decodeCodes(encodeCodes(codes))).toEqual(codes);
    expect(decodeCodes(encodeCodes(tasks.map((t) => t.code)))).toEqual(tasks.map((t) => t.code));
  });
});
