/**
 * Draws one chart from a data table already on the page (so everything is readable without JavaScript and the
 * numbers exist once). chart.js is tree-shaken to the bar and line parts; this module is loaded by
 * charts.client.ts only when a chart table comes near the viewport.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

const COLORS = ['#1b6e3a', '#8a5a00', '#0b4f9c', '#a4161a', '#555555', '#6a1b9a'];

export function draw(table: HTMLTableElement): void {
  const type = table.dataset.chart === 'line' ? 'line' : 'bar';
  const horizontal = table.dataset.chart === 'hbar';
  const percent = table.dataset.unit === 'percent';
  const headers = [...table.querySelectorAll<HTMLTableCellElement>('thead th')];
  const seriesCols = headers
    .map((th, i) => ({
      i,
      name: th.textContent?.trim() ?? '',
      on: th.dataset.series !== undefined,
      color: th.dataset.color,
    }))
    .filter((c) => c.on);
  const rows = [...table.querySelectorAll<HTMLTableRowElement>('tbody tr')];
  const labels = rows.map((r) => r.cells[0]?.textContent?.trim() ?? '');
  const datasets = seriesCols.map((c, k) => ({
    label: c.name,
    data: rows.map((r) => {
      const v = r.cells[c.i]?.dataset.v;
      return v === undefined || v === '' ? null : Number(v) * (percent ? 100 : 1);
    }),
    backgroundColor:
      table.dataset.colors === 'status' ? COLORS.slice(0, rows.length) : (c.color ?? COLORS[k % COLORS.length]),
    borderColor: c.color ?? COLORS[k % COLORS.length],
    borderWidth: type === 'line' ? 2 : 0,
  }));
  const box = document.createElement('div');
  box.className = 'chart-box';
  // one readable bar per row: set through the CSSOM, which a strict CSP allows (no inline style attribute)
  if (horizontal) box.style.height = `${Math.max(320, rows.length * 24 + 60)}px`;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  const caption = table.caption?.textContent?.trim() ?? 'Biểu đồ';
  canvas.setAttribute('aria-label', `${caption}. Số liệu chi tiết trong bảng ngay sau biểu đồ.`);
  box.appendChild(canvas);
  table.closest('.table-wrap')?.before(box);
  new Chart(canvas, {
    type,
    data: { labels, datasets },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      locale: 'vi-VN',
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1 } },
      scales: percent
        ? { [horizontal ? 'x' : 'y']: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } }
        : { [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  document.documentElement.dataset.chartsRendered = String(
    Number(document.documentElement.dataset.chartsRendered ?? 0) + 1,
  );
}
