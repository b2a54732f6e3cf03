/**
 * Charts drawn on the server as inline SVG (no script; colours and fonts come from classes in overview.css, since
 * the CSP forbids style attributes). Each chart is an image with a text alternative (<title>, <desc>) and sits next
 * to a table holding the same figures; the bars link to the same task lists as the table's numbers.
 */
import { attr, h, type SafeHtml } from './html.ts';

export interface Bar {
  label: string;
  value: number;
  /** the value as printed ("1.234", "12,3%") */
  text: string;
  href?: string | null;
  warn?: boolean;
}

interface ChartFrame {
  id: string;
  title: string;
  desc: string;
}

/** An image, or a group when it holds links (an image may not contain interactive elements). */
function frame(p: ChartFrame & { width: number; height: number; linked: boolean }, body: SafeHtml): SafeHtml {
  return h`<figure class="chart"><svg viewBox="0 0 ${p.width} ${p.height}" role="${p.linked ? 'group' : 'img'}" aria-labelledby="${`${p.id}-t ${p.id}-d`}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet"><title id="${`${p.id}-t`}">${p.title}</title><desc id="${`${p.id}-d`}">${p.desc}</desc>${body}</svg><figcaption>${p.title}</figcaption></figure>`;
}

/** A linked chart mark; `label` names marks without visible text (columns, dots). */
function linked(href: string | null | undefined, label: string | undefined, body: SafeHtml): SafeHtml {
  return href ? h`<a href="${href}"${attr('aria-label', label)}>${body}</a>` : h`<g>${body}</g>`;
}

const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s);

/**
 * Horizontal bars, one per row (agencies, ageing groups): the label above its bar, the value at the bar's end, so
 * long Vietnamese names stay whole on a phone as on a desk.
 */
export function barChart(p: ChartFrame & { bars: Bar[]; max?: number }): SafeHtml {
  const width = 400;
  const valueW = 56;
  const rowH = 38;
  const top = 4;
  const height = top * 2 + rowH * Math.max(1, p.bars.length);
  const max = Math.max(p.max ?? 0, ...p.bars.map((b) => b.value), 1);
  const area = width - valueW;
  const marks = p.bars.map((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * area));
    return linked(
      b.href,
      undefined,
      h`<text class="chart-label" x="0" y="${y + 14}">${clip(b.label, 42)}</text><rect class="${b.warn ? 'chart-bar warn' : 'chart-bar'}" x="0" y="${y + 19}" width="${w}" height="14"></rect><text class="chart-value" x="${w + 5}" y="${y + 31}">${b.text}</text>`,
    );
  });
  return frame({ ...p, width, height, linked: p.bars.some((b) => b.href) }, h`${marks}`);
}

export interface Point {
  label: string;
  value: number | null;
  text: string;
  href?: string | null;
}

const PLOT = { width: 420, height: 200, left: 44, right: 8, top: 12, bottom: 28 };

/** A coordinate to a tenth of a unit: 59.3, not 59.333333333333336 (a tenth of a pixel at most; shorter markup). */
const at = (v: number) => Math.round(v * 10) / 10;

function xAt(i: number, n: number): number {
  const w = PLOT.width - PLOT.left - PLOT.right;
  return at(PLOT.left + (w / n) * (i + 0.5));
}

function axis(p: { points: Point[]; min?: number; max: number; ticks: Array<{ v: number; text: string }> }): SafeHtml {
  const h0 = PLOT.height - PLOT.top - PLOT.bottom;
  const lo = p.min ?? 0;
  const y = (v: number) => at(PLOT.top + h0 - ((v - lo) / (p.max - lo)) * h0);
  const ticks = p.ticks.map(
    (t) =>
      h`<g><line class="chart-grid" x1="${PLOT.left}" x2="${PLOT.width - PLOT.right}" y1="${y(t.v)}" y2="${y(t.v)}"></line><text class="chart-tick" x="${PLOT.left - 6}" y="${at(y(t.v) + 4)}" text-anchor="end">${t.text}</text></g>`,
  );
  const labels = p.points.map(
    (pt, i) =>
      h`<text class="chart-tick" x="${xAt(i, p.points.length)}" y="${PLOT.height - 10}" text-anchor="middle">${pt.label}</text>`,
  );
  return h`<g>${ticks}${labels}</g>`;
}

/** Vertical columns over time (overdue tasks per month). */
export function columnChart(
  p: ChartFrame & { points: Point[]; tickText: (v: number) => string; warn?: boolean },
): SafeHtml {
  const max = niceMax(Math.max(1, ...p.points.map((x) => x.value ?? 0)));
  const h0 = PLOT.height - PLOT.top - PLOT.bottom;
  const slot = (PLOT.width - PLOT.left - PLOT.right) / Math.max(1, p.points.length);
  const ticks = [0, max / 2, max].map((v) => ({ v, text: p.tickText(v) }));
  const columns = p.points.map((pt, i) => {
    const bh = Math.round(((pt.value ?? 0) / max) * h0);
    return linked(
      pt.href,
      `${pt.label}: ${pt.text}`,
      h`<rect class="${p.warn ? 'chart-bar warn' : 'chart-bar'}" x="${at(xAt(i, p.points.length) - slot * 0.3)}" y="${PLOT.top + h0 - bh}" width="${at(slot * 0.6)}" height="${bh}"></rect>`,
    );
  });
  return frame(
    { ...p, width: PLOT.width, height: PLOT.height, linked: p.points.some((x) => x.href) },
    h`${axis({ points: p.points, max, ticks })}${columns}`,
  );
}

/**
 * A rate over time, a gap where the rate is null (nothing due). The axis starts at the tenth below the lowest rate
 * (a province near 97 % would otherwise draw a flat line at the top); its ticks say where it starts.
 */
export function lineChart(p: ChartFrame & { points: Point[]; tickText: (v: number) => string }): SafeHtml {
  const h0 = PLOT.height - PLOT.top - PLOT.bottom;
  const values = p.points.map((x) => x.value).filter((v): v is number => v !== null);
  const lo = values.length === 0 ? 0 : Math.max(0, Math.floor((Math.min(...values) - 0.02) * 10) / 10);
  const y = (r: number) => at(PLOT.top + h0 - ((r - lo) / (1 - lo)) * h0);
  const segments: string[][] = [[]];
  p.points.forEach((pt, i) => {
    if (pt.value === null) segments.push([]);
    else segments.at(-1)!.push(`${xAt(i, p.points.length).toFixed(1)},${y(pt.value).toFixed(1)}`);
  });
  const ticks = [lo, (lo + 1) / 2, 1].map((v) => ({ v, text: p.tickText(v) }));
  const lines = segments
    .filter((seg) => seg.length > 1)
    .map((seg) => h`<polyline class="chart-line" points="${seg.join(' ')}"></polyline>`);
  const dots = p.points.map((pt, i) =>
    pt.value === null
      ? null
      : linked(
          pt.href,
          `${pt.label}: ${pt.text}`,
          h`<circle class="chart-dot" cx="${xAt(i, p.points.length)}" cy="${y(pt.value)}" r="4"></circle>`,
        ),
  );
  return frame(
    { ...p, width: PLOT.width, height: PLOT.height, linked: p.points.some((x) => x.href) },
    h`${axis({ points: p.points, min: lo, max: 1, ticks })}${lines}${dots}`,
  );
}

/** A round upper bound for an axis (1, 2, 5 × 10^k). */
export function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
