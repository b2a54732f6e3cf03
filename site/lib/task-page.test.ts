/**
 * Re-dating an overdue task's page (issue 14): the cutoff's words are written anew where the page writes them, and a
 * page whose own text (title, result) holds the old words is refused, so a task's text is never rewritten. The real
 * page is compared with a full build's byte for byte in admin/publication/site-build-incremental.test.ts; here a
 * page of the same shape (the layout's two descriptions and footer, the status line) with any text in it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateVi, num } from './format.ts';
import { CUTOFF_MENTIONS, type PageCutoff, redatePage } from './task-page.ts';

/** A page as the task page writes its cutoff (CUTOFF_MENTIONS), around a title and a result of the task's own. */
function page(title: string, result: string, c: PageCutoff): string {
  const date = `tính đến ngày ${formatDateVi(c.asOf)}`;
  return [
    `<title>${title}</title><meta name="description" content="Số liệu do tỉnh giao, ${date}.">`,
    `<meta property="og:description" content="Số liệu do tỉnh giao, ${date}.">`,
    `<h1>${title}</h1><p class="lead">Mã nhiệm vụ · Đang thực hiện quá hạn (${date})</p>`,
    `<dd>Đang thực hiện quá hạn — quá hạn ${num(c.days)} ngày</dd><dd>${result}</dd>`,
    `<footer>Số liệu ${date}. </footer>`,
  ].join('\n');
}

const FEB: PageCutoff = { asOf: '2026-02-28', days: 29 };
const MAR: PageCutoff = { asOf: '2026-03-31', days: 60 };

describe('redatePage', () => {
  it('the shape above writes each as often as the page does', () => {
    const p = page('Rà soát', '', FEB);
    expect(p.split('tính đến ngày 28/02/2026').length - 1).toBe(CUTOFF_MENTIONS.date);
    expect(p.split('quá hạn 29 ngày').length - 1).toBe(CUTOFF_MENTIONS.days);
  });

  const LONG_AGO: PageCutoff = { asOf: '2022-12-31', days: 1_204 };
  it.each([
    ['a plain title', 'Rà soát hồ sơ đất công', '', FEB, true],
    ['the new cutoff in the title', 'Báo cáo tính đến ngày 31/03/2026', '', FEB, true],
    ['the new days in the result', 'Rà soát', 'Đã chậm, quá hạn 60 ngày', FEB, true],
    ['the old cutoff in the title', 'Báo cáo tính đến ngày 28/02/2026', '', FEB, false],
    ['the old days in the result', 'Rà soát', 'Chậm, quá hạn 29 ngày', FEB, false],
    ['a longer count holding the old one', 'Rà soát', 'quá hạn 129 ngày', FEB, true],
    ['thousands written the Vietnamese way (1.204)', 'Rà soát', '', LONG_AGO, true],
  ] as const)('%s', (_what, title, result, from, ok) => {
    const got = redatePage(page(title, result, from), from, MAR);
    expect(got).toBe(ok ? page(title, result, MAR) : null);
  });

  it('any text: the page of the new cutoff, or refused when the text holds the old words', () => {
    const words = fc.constantFrom(
      'tính đến ngày 28/02/2026',
      'quá hạn 29 ngày',
      'tính đến ngày 31/03/2026',
      'quá hạn 60 ngày',
      'quá hạn',
      ' ',
      'ngày',
    );
    const text = fc.array(fc.oneof(fc.string({ maxLength: 6 }), words), { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, (title, result) => {
        const got = redatePage(page(title, result, FEB), FEB, MAR);
        const own = `${title}\n${result}`;
        const holdsOld = own.includes('tính đến ngày 28/02/2026') || own.includes('quá hạn 29 ngày');
        return holdsOld ? got === null : got === page(title, result, MAR);
      }),
      { numRuns: 500 },
    );
  });
});
