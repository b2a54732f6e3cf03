/**
 * Loads the charts lazily: the page is complete without JavaScript (every chart is a table first), so chart.js
 * (≈ 170 KB before gzip) is fetched only when a table marked data-chart comes within 100 px of the viewport, and each
 * chart is drawn in its own task so the main thread never blocks for all of them at once.
 */
type DrawModule = typeof import('./chart-draw.ts');

let loading: Promise<DrawModule> | null = null;
const load = (): Promise<DrawModule> => (loading ??= import('./chart-draw.ts'));

function drawSoon(table: HTMLTableElement): void {
  void load().then((m) => setTimeout(() => m.draw(table), 0));
}

const tables = [...document.querySelectorAll<HTMLTableElement>('table[data-chart]')];
if (tables.length > 0) {
  if ('IntersectionObserver' in window) {
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          io.unobserve(e.target);
          drawSoon(e.target as HTMLTableElement);
        }
      },
      { rootMargin: '100px 0px' },
    );
    for (const t of tables) io.observe(t);
  } else {
    for (const t of tables) drawSoon(t);
  }
}
