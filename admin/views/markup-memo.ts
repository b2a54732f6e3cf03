/**
 * Markup remembered by everything it is made from: a pure function's memo, for the parts of the hot pages that
 * come back unchanged from one request to the next (the leaders' overview: a write moves one task, so at most a
 * few of its ~70 agency rows and the totals change, and most writes move no figure at all).
 *
 * Not a page cache: nothing is kept per person, page or data version, and no write clears anything. The key is the
 * whole input of the part (its figures, its period, its sort), built by the caller from the same values the render
 * reads; the same key always gives the same markup, whatever happened in between. So a write that moves a figure
 * re-renders only the parts that show it, as the incremental site rebuild (issue 14) renders only changed pages.
 *
 * Figures enter a key by identity (objectId): figures kept in memory are never changed once made, and those that did
 * not change keep their identity when they are computed again (domain/structural-share.ts). A key is then a few
 * numbers, where one spelled out from the figures cost as much as the markup it saved.
 *
 * Under the tests (VITEST set) every hit is rendered again and compared, so a key that misses an input the markup
 * depends on fails the test that shows it (markup-memo.test.ts checks this check).
 */
import { SafeHtml } from './html.ts';

const VERIFY = process.env.VITEST !== undefined;

const ids = new WeakMap<object, number>();
let lastId = 0;

/** A number for this object, the same as long as it lives and never another's: for keys of figures never changed. */
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++lastId));
  return id;
}

export class MarkupMemoError extends Error {}

export class MarkupMemo {
  private readonly parts = new Map<string, SafeHtml>();

  constructor(
    /** for the message when a key is found incomplete */
    readonly name: string,
    /** parts kept; the oldest go first */
    readonly max: number,
  ) {}

  /** The markup `render` makes, remembered under `key`: the key must hold every input `render` reads. */
  get(key: string, render: () => SafeHtml): SafeHtml {
    const hit = this.parts.get(key);
    if (hit !== undefined) {
      if (VERIFY && render().bytes !== hit.bytes)
        throw new MarkupMemoError(`${this.name}: the key ${JSON.stringify(key)} misses an input of its markup`);
      return hit;
    }
    const made = flat(render());
    if (this.parts.size >= this.max) this.parts.delete(this.parts.keys().next().value!);
    this.parts.set(key, made);
    return made;
  }

  get size(): number {
    return this.parts.size;
  }
}

/**
 * The markup as one flat string: `h` joins pieces into a rope, and a rope is walked piece by piece each time it is
 * copied. Remembered parts are copied on every request, so they are flattened once, here.
 */
function flat(m: SafeHtml): SafeHtml {
  return SafeHtml.fromBytes(Buffer.from(m.bytes, 'latin1').toString('latin1'));
}
