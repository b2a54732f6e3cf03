import { describe, expect, it } from 'vitest';
import { attr, escapeHtml, h } from './html.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tôm & cá</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tôm &amp; cá&lt;/a&gt;',
    );
  });
  it('leaves plain Vietnamese text as it is', () => {
    expect(escapeHtml('Sở Tài chính — NV-2026-00001')).toBe('Sở Tài chính — NV-2026-00001');
  });
});

describe('h', () => {
  it('escapes text and attributes, nests, skips null/false, and gives UTF-8', () => {
    const name = 'Sở Tài chính <"Tổng">';
    const inner = h`<b>${'Tồn đọng'}</b>`;
    const page = h`<p title="${name}">${name} — ${inner}${[h`<i>${1}</i>`, null, false, undefined, 'é']}</p>${attr('href', null)}${attr('href', 'a&b')}`;
    const expected = `<p title="Sở Tài chính &lt;&quot;Tổng&quot;&gt;">Sở Tài chính &lt;&quot;Tổng&quot;&gt; — <b>Tồn đọng</b><i>1</i>é</p> href="a&amp;b"`;
    expect(page.toString()).toBe(expected);
    expect(page.toBuffer().equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });
  it('keeps the page a one-byte string (each character one UTF-8 byte)', () => {
    const page = h`<td>${'Ủy ban nhân dân tỉnh'}</td>${h`<span>${'Lũy kế'}</span>`}`;
    expect([...page.bytes].every((c) => c.charCodeAt(0) < 256)).toBe(true);
    expect(page.bytes.length).toBe(Buffer.byteLength(page.toString()));
  });
});
