/**
 * HTML escaping for markup built as strings (the few hot pages that skip JSX for speed): hono's own escaper, the
 * one hono/jsx and hono/html use, so both paths escape the same five characters the same way.
 */
import { escapeToBuffer } from 'hono/utils/html';

/** Text or an attribute value, escaped for HTML (& < > " '). */
export function escapeHtml(s: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(s, buffer);
  return buffer[0];
}
