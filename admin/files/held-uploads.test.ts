/** Held uploads expire after a day and are swept when another is held. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptUpload } from './store.ts';
import { HOLD_MS, heldUpload, holdUpload, sweepHeldUploads } from './held-uploads.ts';
import { samplePdf } from '../test/fixtures/files.ts';

describe('held uploads', () => {
  it('gives the file back to its user within a day, not after; old ones are swept', async () => {
    const env = { uploadDir: mkdtempSync(join(tmpdir(), 'held-')), uploadMaxBytes: 1_000_000 };
    const t0 = new Date('2026-03-02T02:00:00Z');
    const upload = await acceptUpload(new File([samplePdf()], 'Công văn.pdf'), { maxBytes: env.uploadMaxBytes });
    const token = holdUpload({ env, now: t0 }, 7, upload);
    const back = await heldUpload({ env, now: new Date(t0.getTime() + HOLD_MS - 1000) }, 7, token);
    expect([back.originalName, back.sha256]).toEqual(['Công văn.pdf', upload.sha256]);
    await expect(heldUpload({ env, now: new Date(t0.getTime() + HOLD_MS) }, 7, token)).rejects.toThrow(
      /không còn được giữ/,
    );
    // the token itself is never a file name
    expect(readdirSync(join(env.uploadDir, 'held')).some((n) => n.includes(token))).toBe(false);
    // the sweep goes by file age: a day after they were written, both files of the hold are removed
    expect(sweepHeldUploads(env, new Date(Date.now() + HOLD_MS - 60_000))).toBe(0);
    expect(sweepHeldUploads(env, new Date(Date.now() + HOLD_MS + 60_000))).toBe(2);
    expect(readdirSync(join(env.uploadDir, 'held'))).toEqual([]);
  });
});
