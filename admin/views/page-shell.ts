/**
 * A page whose content is built as a byte string (html.ts `h`: the hot pages) inside the layout: the layout's
 * markup before and after the content (layout.tsx layoutParts) and the content, written once into one buffer. The
 * leaders' overview and the task list use it.
 */
import { layoutParts, type LayoutShell } from './layout.tsx';
import type { SafeHtml } from './html.ts';

/** The page as UTF-8: the layout of `shell` around `body`. */
export function shellAround(shell: LayoutShell, body: SafeHtml): Uint8Array<ArrayBuffer> {
  const { head, tail } = layoutParts(shell);
  // byte strings: one character per byte. Written once into one fresh buffer (not Node's shared pool, so the page
  // owns its memory): no copy in between
  const out = Buffer.allocUnsafeSlow(head.bytes.length + body.bytes.length + tail.bytes.length);
  out.write(head.bytes, 0, 'latin1');
  out.write(body.bytes, head.bytes.length, 'latin1');
  out.write(tail.bytes, head.bytes.length + body.bytes.length, 'latin1');
  return out;
}
