/**
 * Share images (1200×630 PNG) for the home page, each agency and each period: satori draws the card, resvg
 * renders it. Fonts are the project's own @fontsource Noto Sans files; each subset gets its own family name,
 * because satori keeps one font per name/weight and would otherwise drop ở ư ờ đ ệ (PITFALLS: share images).
 * Images are cached by a hash of exactly what they show, so an unchanged card is reused across builds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import satori from 'satori';
import { Resvg } from '@resvg/resvg-js';
import { formatDateVi } from '../domain/dates.ts';
import { STATUS_LABELS, type AnyCounts } from './schema.ts';

const TEMPLATE_VERSION = 'card-v1';
const require = createRequire(import.meta.url);

type Font = { name: string; data: Buffer; weight: 400 | 700; style: 'normal' };
let fonts: Font[] | null = null;

function loadFonts(): Font[] {
  if (fonts) return fonts;
  const dir = join(dirname(require.resolve('@fontsource/noto-sans/package.json')), 'files');
  fonts = [];
  for (const subset of ['latin', 'vietnamese'] as const) {
    for (const weight of [400, 700] as const) {
      fonts.push({
        name: `Noto Sans ${subset}`,
        data: readFileSync(join(dir, `noto-sans-${subset}-${weight}-normal.woff`)),
        weight,
        style: 'normal',
      });
    }
  }
  return fonts;
}

export interface CardData {
  /** small line above the title (the province) */
  kicker: string;
  title: string;
  asOf: string;
  counts: AnyCounts;
}

type Node = {
  type: string;
  props: { style?: Record<string, unknown>; children?: Array<Node | string> | Node | string };
};
const h = (type: string, style: Record<string, unknown>, children?: Array<Node | string> | Node | string): Node => ({
  type,
  props: { style, children },
});

const COLORS: Record<string, string> = {
  completedOnTime: '#1b6e3a',
  completedLate: '#8a5a00',
  inProgress: '#0b4f9c',
  overdue: '#a4161a',
};

function card(d: CardData): Node {
  const nf = new Intl.NumberFormat('vi-VN');
  const rate = d.counts.onTimeRate === null ? '—' : `${(d.counts.onTimeRate * 100).toFixed(1).replace('.', ',')}%`;
  const boxes = (['completedOnTime', 'completedLate', 'inProgress', 'overdue'] as const).map((k) =>
    h(
      'div',
      {
        display: 'flex',
        flexDirection: 'column',
        width: 255,
        padding: 16,
        borderTop: `10px solid ${COLORS[k]}`,
        background: '#f4f1ea',
      },
      [
        h('div', { fontSize: 56, fontWeight: 700, color: '#1a1a1a' }, nf.format(d.counts[k])),
        h('div', { fontSize: 24, color: '#333' }, STATUS_LABELS[k]),
      ],
    ),
  );
  return h(
    'div',
    {
      width: 1200,
      height: 630,
      display: 'flex',
      flexDirection: 'column',
      background: '#fff',
      fontFamily: 'Noto Sans latin, Noto Sans vietnamese',
    },
    [
      h(
        'div',
        { display: 'flex', flexDirection: 'column', background: '#8b0000', color: '#fff', padding: '28px 48px' },
        [h('div', { fontSize: 26 }, d.kicker), h('div', { fontSize: 44, fontWeight: 700 }, d.title)],
      ),
      h('div', { display: 'flex', flexDirection: 'column', padding: '24px 48px', flexGrow: 1 }, [
        h(
          'div',
          { fontSize: 30, color: '#333' },
          `Số liệu tính đến ngày ${formatDateVi(d.asOf)} · ${nf.format(d.counts.total)} nhiệm vụ`,
        ),
        h('div', { display: 'flex', justifyContent: 'space-between', marginTop: 28 }, boxes),
        h(
          'div',
          { fontSize: 30, marginTop: 28, color: '#1a1a1a' },
          `Tỷ lệ đúng hạn: ${rate} (${nf.format(d.counts.completedOnTime)}/${nf.format(d.counts.due)} nhiệm vụ đến hạn)`,
        ),
      ]),
      h(
        'div',
        { display: 'flex', fontSize: 22, color: '#fff', background: '#5c0000', padding: '12px 48px' },
        'Theo dõi nhiệm vụ UBND tỉnh giao',
      ),
    ],
  );
}

/** The card as SVG (satori: layout and text as paths). */
export function cardSvg(d: CardData): Promise<string> {
  // satori accepts plain element objects (no React needed); its types ask for a ReactNode
  return satori(card(d) as unknown as Parameters<typeof satori>[0], { width: 1200, height: 630, fonts: loadFonts() });
}

/** satori draws every glyph as a path, so resvg needs no font: loading the system's (its default) was half its time
 * (≈ 11 of 23 ms a card), for the same PNG byte for byte. */
export const RESVG_OPTIONS = { fitTo: { mode: 'width' as const, value: 1200 }, font: { loadSystemFonts: false } };

export async function renderCard(d: CardData): Promise<Buffer> {
  return new Resvg(await cardSvg(d), RESVG_OPTIONS).render().asPng();
}

export interface CardStats {
  rendered: number;
  reused: number;
  renderMs: number;
  /** ms of each new image (the first includes parsing the fonts) */
  times: number[];
}

/**
 * Returns the cached PNG path for a card, rendering it only when its content hash is new.
 */
export async function cachedCard(cacheDir: string, d: CardData, stats: CardStats): Promise<string> {
  const hash = createHash('sha256').update(TEMPLATE_VERSION).update(JSON.stringify(d)).digest('hex').slice(0, 32);
  const path = join(cacheDir, `${hash}.png`);
  if (existsSync(path)) {
    stats.reused++;
    return path;
  }
  mkdirSync(cacheDir, { recursive: true });
  const t = performance.now();
  const png = await renderCard(d);
  const ms = performance.now() - t;
  stats.renderMs += ms;
  stats.times.push(ms);
  stats.rendered++;
  writeFileSync(`${path}.tmp`, png);
  renameSync(`${path}.tmp`, path);
  return path;
}
