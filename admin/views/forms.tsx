/**
 * Form fields the task and document pages need beyond views/components.tsx: text areas, dd/mm/yyyy dates,
 * checkboxes, multiple choice, file inputs. Each shows its own error beside it (ids match the ErrorSummary links).
 */
import type { Child } from 'hono/jsx';

interface Base {
  name: string;
  label: string;
  /** element id (defaults to name); must be unique on the page when several forms share field names */
  id?: string;
  error?: string;
  hint?: string;
}

function Wrap(p: Base & { children?: Child; id: string; labelFor?: boolean }) {
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={p.id}>{p.label}</label>
      {p.hint && <p class="hint">{p.hint}</p>}
      {p.error && <p class="error-text">{p.error}</p>}
      {p.children}
    </div>
  );
}

export function TextAreaField(p: Base & { value?: string; required?: boolean; maxlength?: number; rows?: number }) {
  const id = p.id ?? p.name;
  return (
    <Wrap {...p} id={id}>
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 3}
        required={p.required}
        maxlength={p.maxlength}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.value ?? ''}
      </textarea>
    </Wrap>
  );
}

/** A date typed as dd/mm/yyyy (the Vietnamese convention; yyyy-mm-dd is accepted too). */
export function DateField(p: Base & { value?: string; required?: boolean }) {
  const id = p.id ?? p.name;
  return (
    <Wrap {...p} id={id} hint={p.hint ?? 'Dạng dd/mm/yyyy, ví dụ 30/06/2026.'}>
      <input
        id={id}
        name={p.name}
        type="text"
        inputmode="numeric"
        placeholder="dd/mm/yyyy"
        value={p.value}
        required={p.required}
        maxlength={10}
        class="date"
        aria-invalid={p.error ? 'true' : undefined}
      />
    </Wrap>
  );
}

export function CheckboxField(p: {
  name: string;
  label: string;
  id?: string;
  checked?: boolean;
  error?: string;
  hint?: string;
}) {
  const id = p.id ?? p.name;
  return (
    <div class={`field checkbox${p.error ? ' has-error' : ''}`}>
      {p.error && <p class="error-text">{p.error}</p>}
      <input id={id} name={p.name} type="checkbox" value="1" checked={p.checked} />
      <label for={id}>{p.label}</label>
      {p.hint && <p class="hint">{p.hint}</p>}
    </div>
  );
}

export function ChoiceField(
  p: Base & {
    options: Array<{ value: string; label: string }>;
    value?: string | string[];
    multiple?: boolean;
    emptyLabel?: string;
    size?: number;
  },
) {
  const id = p.id ?? p.name;
  const selected = new Set(Array.isArray(p.value) ? p.value : p.value !== undefined ? [p.value] : []);
  return (
    <Wrap {...p} id={id}>
      <select
        id={id}
        name={p.name}
        multiple={p.multiple}
        size={p.multiple ? (p.size ?? 5) : undefined}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.emptyLabel !== undefined && <option value="">{p.emptyLabel}</option>}
        {p.options.map((o) => (
          <option value={o.value} selected={selected.has(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

export function FileField(p: Base & { multiple?: boolean; required?: boolean; accept?: string }) {
  const id = p.id ?? p.name;
  return (
    <Wrap {...p} id={id}>
      <input
        id={id}
        name={p.name}
        type="file"
        multiple={p.multiple}
        required={p.required}
        accept={p.accept}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </Wrap>
  );
}

/** What <input accept> offers (a convenience only: the server checks the content). */
export const ACCEPT_ATTACHMENTS = '.pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif,.webp,.zip';

/** Form values as typed, shown again after a refusal (a multiple select gives a list). */
export type FormValues = Record<string, string | string[]>;

/** One single-valued field of `values` ('' when absent or a list). */
export function formValue(values: FormValues, name: string): string {
  const v = values[name];
  return typeof v === 'string' ? v : '';
}
