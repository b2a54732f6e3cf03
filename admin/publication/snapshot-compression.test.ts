/**
 * Stored snapshots (snapshot-compression.ts): what is compressed comes back byte for byte; the gzip of the snapshots
 * stored before December 2026 still reads; anything else is refused, not guessed.
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { compressSnapshot, decompressSnapshot } from './snapshot-compression.ts';

const text = JSON.stringify({
  province: 'Ủy ban nhân dân tỉnh Lam Sơn',
  tasks: Array.from({ length: 500 }, (_, i) => ({ code: `NV-${i}`, title: 'Rà soát kế hoạch — “đợt 2”' })),
});

describe('stored snapshots', () => {
  it('come back byte for byte, in Zstandard, smaller than the text', () => {
    const bytes = Buffer.from(text, 'utf8');
    const stored = compressSnapshot(bytes);
    expect([...stored.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    expect(stored.length).toBeLessThan(bytes.length / 10);
    expect(decompressSnapshot(stored).equals(bytes)).toBe(true);
  });

  it('stored as gzip before still read', () => {
    expect(decompressSnapshot(gzipSync(text)).toString('utf8')).toBe(text);
  });

  it('anything else is refused with a Vietnamese message', () => {
    expect(() => decompressSnapshot(Buffer.from(text))).toThrow(/định dạng nén không xác định/);
    expect(() => decompressSnapshot(new Uint8Array())).toThrow(/định dạng nén không xác định/);
    // a damaged value in a known format fails in its decompressor, not silently
    const stored = compressSnapshot(Buffer.from(text));
    expect(() => decompressSnapshot(stored.subarray(0, stored.length - 10))).toThrow();
  });
});
