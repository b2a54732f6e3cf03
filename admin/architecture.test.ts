/**
 * The house rules that a reader can check by looking at the files (CONVENTIONS.md habits 13, 14 and the floors):
 * - route files hold no SQL: data access lives in admin/domain (and auth, publication, …);
 * - no source file passes 400 lines;
 * - the value imports have no cycle (type-only imports are left out: they vanish when the code runs).
 * Each test lists every offender, so one run says everything that is left to do.
 *
 * Cycles are found with dpdm (a dev dependency) in-process with `transform: true`: it runs TypeScript's own
 * transpiler over each file before reading the imports, so `import type`, `import { type X }` and imports used only
 * as types disappear exactly as they do when the code runs, and re-exports and dynamic imports count. A regex over
 * `import … from` lines would miss multi-line and mixed imports. The whole walk takes about a second here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_LINES = 400;
const SOURCE = /\.(ts|tsx|astro|mjs|js)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.astro', 'data']);

/** Source files under the given top-level folders, as paths relative to the project root. */
function sourceFiles(...tops: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(rel);
      } else if (SOURCE.test(e.name)) out.push(rel);
    }
  };
  for (const t of tops) walk(t);
  return out.sort();
}

const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.includes('/test/');

/**
 * The SQL a route file may not hold: statements prepared or run on a database handle, pragmas, and string literals
 * that start with an SQL verb. `.exec(` counts only with a literal argument (RegExp#exec takes a variable).
 */
const SQL_PATTERNS: Array<[string, RegExp]> = [
  ['.prepare(', /\.prepare\s*\(/],
  ['.exec(', /\.exec\s*\(\s*[`'"]/],
  ['.pragma(', /\.pragma\s*\(/],
  ['SQL literal', /[`'"]\s*(SELECT|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS)\b/],
];

/** "file:line what" for each SQL pattern found in the text. */
function sqlOffences(file: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [what, re] of SQL_PATTERNS) if (re.test(line)) out.push(`${file}:${i + 1} ${what}`);
  });
  return out;
}

describe('routes hold no SQL', () => {
  it('the detector sees each kind of SQL and leaves ordinary code alone', () => {
    expect(sqlOffences('x.ts', "db.prepare('SELECT 1').get()")).toEqual(['x.ts:1 .prepare(', 'x.ts:1 SQL literal']);
    expect(sqlOffences('x.ts', 'db.exec(`DELETE FROM users`)')).toEqual(['x.ts:1 .exec(', 'x.ts:1 SQL literal']);
    expect(sqlOffences('x.ts', "db.pragma('user_version')")).toEqual(['x.ts:1 .pragma(']);
    expect(sqlOffences('x.ts', "const q = 'UPDATE tasks SET title = ?';")).toEqual(['x.ts:1 SQL literal']);
    expect(sqlOffences('x.ts', 'const m = /^NV-(\\d+)$/.exec(code);')).toEqual([]);
    expect(sqlOffences('x.ts', "label: 'Chọn (SELECT) một đơn vị'")).toEqual([]);
  });

  it('no file in admin/routes or admin/api (tests aside) touches the database directly', () => {
    const offenders = sourceFiles('admin/routes', 'admin/api')
      .filter((f) => !isTest(f))
      .flatMap((f) => sqlOffences(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders, 'move these queries into a domain module (functions taking db first)').toEqual([]);
  });
});

/**
 * Kept statements (db/statements.ts) are shared by SQL text, and pluck/raw/expand change a statement's mode for
 * every later user: one text must be used in one mode everywhere.
 */
const KEPT = /statement\(\s*\w+,\s*(['`])([\s\S]*?)\1\s*,?\s*\)(\s*\.(pluck|raw|expand)\(\))?/g;
function keptStatementModes(files: Array<[string, string]>): string[] {
  const modes = new Map<string, Map<string, string>>();
  for (const [file, text] of files)
    for (const m of text.matchAll(KEPT)) {
      const byMode = modes.get(m[2]!) ?? new Map<string, string>();
      byMode.set(m[4] ?? 'rows', file);
      modes.set(m[2]!, byMode);
    }
  return [...modes]
    .filter(([, byMode]) => byMode.size > 1)
    .map(([sql, byMode]) => `${sql.slice(0, 60)}: ${[...byMode].map(([mode, f]) => `${mode} in ${f}`).join(', ')}`);
}

describe('kept statements', () => {
  it('the detector sees one SQL text kept in two modes', () => {
    const sql = "statement(db, 'SELECT kind FROM t WHERE id = ?')";
    expect(
      keptStatementModes([
        ['a.ts', `${sql}.pluck().all(1)`],
        ['b.ts', `${sql}.all(1)`],
      ]),
    ).toHaveLength(1);
    expect(
      keptStatementModes([
        ['a.ts', `${sql}.all(1)`],
        ['b.ts', `${sql}.all(2)`],
      ]),
    ).toEqual([]);
  });

  it('no SQL text is kept in two modes (pluck in one place, rows in another)', () => {
    const files = sourceFiles('admin')
      .filter((f) => !isTest(f))
      .map((f): [string, string] => [f, readFileSync(join(ROOT, f), 'utf8')]);
    expect(keptStatementModes(files)).toEqual([]);
  });
});

describe('file sizes', () => {
  it(`no source file under admin/, site/ or scripts/ passes ${MAX_LINES} lines`, () => {
    const offenders = sourceFiles('admin', 'site', 'scripts')
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length }))
      .filter((x) => x.lines > MAX_LINES)
      .map((x) => `${x.f}: ${x.lines} lines`);
    expect(offenders, 'split these along their ideas (CONVENTIONS habit 14)').toEqual([]);
  });
});

async function valueCycles(cwd: string, entries: string[]): Promise<string[]> {
  const tree = await parseDependencyTree(entries, {
    cwd,
    context: cwd,
    transform: true,
    skipDynamicImports: false,
    include: /.*/,
    exclude: /node_modules/,
  });
  return parseCircular(tree).map((loop) => loop.map((f) => relative(cwd, join(cwd, f))).join(' → '));
}

describe('value imports', () => {
  const fixture = mkdtempSync(join(tmpdir(), 'arch-cycles-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('the cycle finder reports a value loop and ignores loops closed only by types', async () => {
    const write = (name: string, text: string) => writeFileSync(join(fixture, name), text);
    write('a.ts', "import { b } from './b.ts';\nexport const a = () => b;\n");
    write('b.ts', "import { a } from './a.ts';\nexport const b = () => a;\n");
    write('c.ts', "import type { D } from './d.ts';\nexport type C = { d?: D };\nexport const c = 1;\n");
    write('d.ts', "import { type C, c } from './c.ts';\nexport type D = C;\nexport const d = c;\n");
    write('e.tsx', "import { f } from './f.ts';\nexport const e = () => <p>{f}</p>;\n");
    write('f.ts', "export const f = 1;\nexport const g = async () => (await import('./e.tsx')).e;\n");
    const loops = await valueCycles(fixture, ['a.ts', 'c.ts', 'e.tsx']);
    expect(loops.sort()).toEqual(['a.ts → b.ts', 'e.tsx → f.ts']);
  });

  it('admin/, scripts/ and site/lib have no value-import cycle', async () => {
    const entries = [
      ...sourceFiles('admin', 'scripts').filter((f) => /\.tsx?$/.test(f) && !isTest(f)),
      ...sourceFiles('site/lib').filter((f) => f.endsWith('.ts')),
    ];
    expect(await valueCycles(ROOT, entries)).toEqual([]);
  });
});
