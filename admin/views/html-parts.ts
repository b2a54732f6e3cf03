/** Small pieces of markup shared by the pages built as byte strings (html.ts `h`): error summaries and links. */
import { h, type SafeHtml } from './html.ts';

/**
 * The list of a form's errors, each a link to its field: the string twin of components.tsx ErrorSummary (held
 * byte-equal to it in task-list-view.test.ts).
 */
export function errorSummary(errors: Record<string, string>): SafeHtml | null {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return h`<div class="flash flash-error" role="alert"><p>Có lỗi cần sửa:</p><ul>${entries.map(([field, msg]) => h`<li><a href="${`#${field}`}">${msg}</a></li>`)}</ul></div>`;
}

const FORM_PLAIN = /^[A-Za-z0-9*._-]*$/;
const FORM_EXTRA = /%20|[!'()~]/g;

/**
 * One name or value as URLSearchParams writes it (application/x-www-form-urlencoded: a space is '+', and ! ' ( ) ~
 * are escaped too), joined by hand: a task list builds some twenty links (URLSearchParams was ~5 % of its time), the overview a dozen.
 * Held equal to URLSearchParams by a property test (task-list-view.test.ts).
 */
export function formEncode(s: string): string {
  if (FORM_PLAIN.test(s)) return s;
  return encodeURIComponent(s.toWellFormed()).replace(FORM_EXTRA, (c) =>
    c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `base` with the query string of `query`, as `${base}?${new URLSearchParams(query)}` (nothing when empty). */
export function href(query: Record<string, string>, base = '/admin/tasks'): string {
  let q = '';
  for (const k in query) q += `${q === '' ? '' : '&'}${formEncode(k)}=${formEncode(query[k]!)}`;
  return q ? `${base}?${q}` : base;
}
