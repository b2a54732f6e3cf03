/**
 * THE Vietnamese folding (CONVENTIONS habit 15): search that ignores diacritics ("Sở Tài chính" and "so tai chinh"
 * fold to the same text), slugs, and ASCII stand-ins for file names all start from stripVietnameseMarks.
 * NFD separates the tone and vowel marks, which are removed; đ/Đ have no decomposition and are mapped by hand.
 * The public search page runs in the browser without a bundler and keeps its own copy of foldVietnamese
 * (site/public/js/search.js); site/lib/fold.test.ts proves the two fold every Vietnamese letter identically.
 */

/** The text without tone and vowel marks, đ → d, Đ → D; case and spacing kept. */
export function stripVietnameseMarks(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** The search key: marks stripped, lower case, runs of white space as one space, trimmed. */
export function foldVietnamese(s: string): string {
  return stripVietnameseMarks(s).toLowerCase().replace(/\s+/g, ' ').trim();
}
