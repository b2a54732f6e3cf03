/** Small reusable pieces for admin pages: flash messages, form fields, tables, paging, error pages. */
import type { Child } from 'hono/jsx';
import { Layout } from './layout.tsx';
import type { SessionUser } from '../auth/session.ts';

export function Flash(props: { kind: 'ok' | 'error' | 'info'; children?: Child }) {
  return (
    <div class={`flash flash-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/** Errors for a form: one summary at the top (ASVS / GOV.UK pattern), each linked to its field id. */
export function ErrorSummary(props: { errors: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return (
    <div class="flash flash-error" role="alert">
      <p>Có lỗi cần sửa:</p>
      <ul>
        {entries.map(([field, msg]) => (
          <li>
            <a href={`#${field}`}>{msg}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  maxlength?: number;
}

export function Field(p: FieldProps) {
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.hint && <p class="hint">{p.hint}</p>}
      {p.error && <p class="error-text">{p.error}</p>}
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.type === 'password' ? undefined : p.value}
        required={p.required}
        autocomplete={p.autocomplete}
        maxlength={p.maxlength}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </div>
  );
}

export function SelectField(p: {
  name: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  value?: string;
  error?: string;
  emptyLabel?: string;
}) {
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.error && <p class="error-text">{p.error}</p>}
      <select id={p.name} name={p.name}>
        {p.emptyLabel !== undefined && <option value="">{p.emptyLabel}</option>}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Table(props: { caption?: string; head: Child[]; rows: Child[][]; empty?: string }) {
  if (props.rows.length === 0) return <p class="empty">{props.empty ?? 'Không có dữ liệu.'}</p>;
  // data-label: the column's name, shown beside the value when a phone stacks each row as a card (admin-narrow.css)
  const labels = props.head.map((h) => (typeof h === 'string' && h !== '' ? h : undefined));
  return (
    <div class="table-wrap stack">
      <table>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              {r.map((cell, i) => (
                <td data-label={labels[i]}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous/next links keeping the other query parameters. */
export function Pager(props: {
  page: number;
  pageSize: number;
  total: number;
  baseUrl: string;
  query: Record<string, string>;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const href = (p: number) => {
    const q = new URLSearchParams({ ...props.query, page: String(p) });
    return `${props.baseUrl}?${q.toString()}`;
  };
  return (
    <nav class="pager" aria-label="Phân trang">
      {props.page > 1 && <a href={href(props.page - 1)}>← Trang trước</a>}
      <span>
        Trang {props.page}/{pages} ({props.total} bản ghi)
      </span>
      {props.page < pages && <a href={href(props.page + 1)}>Trang sau →</a>}
    </nav>
  );
}

/** A whole page for an error (403, 404, 422, 500 …) with a Vietnamese message. */
export function ErrorPage(props: { status: number; message: string; user: SessionUser | null }) {
  const title =
    props.status === 404
      ? 'Không tìm thấy'
      : props.status === 403
        ? 'Không có quyền truy cập'
        : props.status >= 500
          ? 'Lỗi hệ thống'
          : 'Không thực hiện được';
  return (
    <Layout title={title} user={props.user}>
      <Flash kind="error">{props.message}</Flash>
      <p>
        <a href="/admin">Về trang tổng quan</a>
      </p>
    </Layout>
  );
}
