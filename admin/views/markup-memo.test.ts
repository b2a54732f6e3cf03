/**
 * The markup memo (markup-memo.ts): the same key gives the markup made first, the oldest go when it is full, object
 * ids are stable and distinct, and under the tests a key that misses an input of its markup is caught.
 */
import { describe, expect, it } from 'vitest';
import { h } from './html.ts';
import { MarkupMemo, MarkupMemoError, objectId } from './markup-memo.ts';

describe('MarkupMemo', () => {
  it('renders once per key, and keeps at most max parts (the oldest go first)', () => {
    const memo = new MarkupMemo('test', 2);
    let renders = 0;
    const part = (n: number) => () => {
      renders++;
      return h`<td>${n} &amp; ${'<b>'}</td>`;
    };
    const a = memo.get('a', part(1));
    expect(a.toString()).toBe('<td>1 &amp; &lt;b&gt;</td>');
    expect(memo.get('a', part(1))).toBe(a);
    memo.get('b', part(2));
    memo.get('c', part(3));
    expect(memo.size).toBe(2);
    // under the tests a hit is rendered again to be compared: 'a' was rendered twice, then b, c, and a again
    const before = renders;
    expect(memo.get('a', part(1)).toString()).toBe(a.toString());
    expect(renders).toBe(before + 1);
  });

  it('under the tests, a key that misses an input of its markup fails loudly', () => {
    const memo = new MarkupMemo('overview row', 8);
    memo.get('row 1', () => h`<td>4</td>`);
    expect(() => memo.get('row 1', () => h`<td>5</td>`)).toThrow(MarkupMemoError);
    expect(() => memo.get('row 1', () => h`<td>5</td>`)).toThrow(/overview row.*row 1/);
  });

  it('keeps Vietnamese text as the same bytes (flattened once, not re-encoded)', () => {
    const memo = new MarkupMemo('test', 4);
    const made = memo.get('vi', () => h`<th>${'Sở Tài chính'}</th>${['Quá hạn', h`<i>${'Đến hạn'}</i>`]}`);
    expect(made.toString()).toBe('<th>Sở Tài chính</th>Quá hạn<i>Đến hạn</i>');
  });
});

describe('objectId', () => {
  it('is the same for one object and different between two, equal or not', () => {
    const a = { total: 1 };
    const b = { total: 1 };
    expect(objectId(a)).toBe(objectId(a));
    expect(objectId(a)).not.toBe(objectId(b));
    expect(objectId([a])).not.toBe(objectId([a]));
  });
});
