/** Small pieces of markup shared by the pages built as byte strings (html.ts `h`). */
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
