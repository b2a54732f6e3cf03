import { describe, expect, it } from 'vitest';
import { escapeXml } from './feeds.ts';

describe('escapeXml', () => {
  it('escapes the five predefined entities, so titles and URLs cannot break the feed', () => {
    expect(escapeXml(`Báo cáo <tháng 3> & "đính chính" 'lần 1'`)).toBe(
      'Báo cáo &lt;tháng 3&gt; &amp; &quot;đính chính&quot; &apos;lần 1&apos;',
    );
    expect(escapeXml('https://x.vn/bao-cao/?a=1&b=2')).toBe('https://x.vn/bao-cao/?a=1&amp;b=2');
  });
});
