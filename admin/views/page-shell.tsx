/**
 * A page whose body is built as a byte string (html.ts `h`: the hot pages) inside the JSX layout: the shell is
 * rendered with a slot where the body goes, and the page is the shell's bytes around the body's. The leaders'
 * overview and the task list use it.
 */
import { raw } from 'hono/html';
import type { SafeHtml } from './html.ts';

/** where the body goes in the shell (a NUL cannot come from the shell's own text before it: see shellAround) */
const BODY_SLOT = '\u0000page-body\u0000';

/** The slot, to be put once in the shell, after everything a user typed (only static markup may follow it). */
export const bodySlot = () => raw(BODY_SLOT);

/**
 * The page as UTF-8: the rendered shell around `body`. The slot is found from the end: only the layout's footer
 * follows it, while the header before it holds the user's name (which could hold anything).
 */
export async function shellAround(shell: unknown, body: SafeHtml): Promise<Uint8Array<ArrayBuffer>> {
  const html = String(await shell);
  const at = html.lastIndexOf(BODY_SLOT);
  if (at < 0) throw new Error('shellAround: the shell has no body slot');
  const head = html.slice(0, at);
  const tail = html.slice(at + BODY_SLOT.length);
  const headBytes = Buffer.byteLength(head);
  const bodyBytes = body.bytes.length; // a byte string: one character per byte
  // written once into one fresh buffer (not Node's shared pool, so the page owns its memory): no copy in between
  const out = Buffer.allocUnsafeSlow(headBytes + bodyBytes + Buffer.byteLength(tail));
  out.write(head, 0, 'utf8');
  out.write(body.bytes, headBytes, 'latin1');
  out.write(tail, headBytes + bodyBytes, 'utf8');
  return out;
}
