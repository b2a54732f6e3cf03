import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.ts';

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
