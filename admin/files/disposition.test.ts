import { parse } from 'content-disposition';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiFileName, attachmentDisposition } from './disposition.ts';

describe('attachmentDisposition', () => {
  it('gives the Vietnamese name exactly and an ASCII stand-in without marks', () => {
    expect(attachmentDisposition('Báo cáo quý 1.pdf')).toBe(
      `attachment; filename="Bao cao quy 1.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201.pdf`,
    );
    expect(attachmentDisposition('bao-cao.pdf')).toBe('attachment; filename=bao-cao.pdf');
  });

  it('always parses back to the exact name, whatever the name holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' }), (name) => {
        const header = attachmentDisposition(name);
        expect(header).not.toMatch(/[\r\n]/);
        const parsed = parse(header);
        expect(parsed.type).toBe('attachment');
        expect(parsed.parameters.filename).toBe(name);
        expect(asciiFileName(name)).toMatch(/^[A-Za-z0-9._ -]+$/);
      }),
      { numRuns: 300 },
    );
  });
});
