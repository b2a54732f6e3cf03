/**
 * Folding for search that ignores diacritics: "Sở Tài chính" and "so tai chinh" fold to the same text.
 * NFD separates the tone and vowel marks, which are removed; đ/Đ have no decomposition and are mapped by hand.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
