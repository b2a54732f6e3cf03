/**
 * The queries the search benchmark measures (search.bench.ts), drawn from the data itself so that no chosen query
 * hides a bad case: every word of the vocabulary alone; every run of two and three words of the titles and the
 * agencies' names; every pair of the 25 commonest words and every triple of the 12 commonest; every agency's name
 * (with and without its marks) and code; task codes, their year prefixes and number parts; single letters and
 * digits; whole titles (the longest queries a person pastes); and garbage.
 */
import { foldVietnamese } from '../../admin/domain/text.ts';
import type { SearchAgency, SearchTask } from '../../site/lib/search-index.ts';

export interface SweepQuery {
  kind: string;
  q: string;
}

/** Every k-th element, about n of them. */
const spread = <T>(xs: readonly T[], n: number): T[] =>
  xs.length <= n ? [...xs] : Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);

export function sweepQueries(agencies: readonly SearchAgency[], tasks: readonly SearchTask[]): SweepQuery[] {
  const out: SweepQuery[] = [];
  const seen = new Set<string>();
  const add = (kind: string, q: string) => {
    if (!seen.has(q)) {
      seen.add(q);
      out.push({ kind, q });
    }
  };
  const names = new Map(agencies.map((a) => [a.code, a.name]));
  const texts = tasks.map((t) => foldVietnamese(`${t.title} ${names.get(t.leadAgency) ?? ''}`).split(' '));
  const df = new Map<string, number>();
  for (const words of texts) for (const w of new Set(words)) df.set(w, (df.get(w) ?? 0) + 1);
  const common = [...df].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  for (const w of [...df.keys()].sort()) add('one word', w);
  const runs = new Set<string>();
  for (const text of [...tasks.map((t) => t.title), ...agencies.map((a) => a.name)]) {
    const words = foldVietnamese(text).split(' ');
    for (let i = 0; i + 1 < words.length; i++) {
      runs.add(`${words[i]} ${words[i + 1]}`);
      if (i + 2 < words.length) runs.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
    }
  }
  for (const r of [...runs].sort()) add('two or three words of a title or a name', r);
  const top = common.slice(0, 25);
  for (let i = 0; i < top.length; i++)
    for (let j = i + 1; j < top.length; j++) {
      add('pair of common words', `${top[i]} ${top[j]}`);
      if (i < 12 && j < 12)
        for (let k = j + 1; k < 12; k++) add('triple of common words', `${top[i]} ${top[j]} ${top[k]}`);
    }
  for (const a of agencies) {
    add('agency name', a.name);
    add('agency name', foldVietnamese(a.name));
    add('agency code', a.code);
  }
  const codes = tasks.map((t) => t.code);
  for (const c of spread(codes, 100)) {
    add('task code', c);
    add('task code', c.toLowerCase());
    add('task code', c.slice(-5));
  }
  for (const y of new Set(codes.map((c) => c.slice(0, 7)))) add('code prefix', y.toLowerCase());
  for (const ch of 'abcdeghiklmnopqrstuvxy0123456789') add('one character', ch);
  for (const t of spread([...new Set(tasks.map((t) => t.title))], 300)) add('whole title', t);
  for (const g of ['xyz khong co', '!!!', '...', '"', '-', '%', 'qqqq', '<script>', 'a'.repeat(300)]) add('garbage', g);
  return out;
}
