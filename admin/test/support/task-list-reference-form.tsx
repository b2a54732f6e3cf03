/**
 * The task list's filter form as JSX, the way admin/views/task-list-view.tsx built it before it became a byte
 * string (views/task-list-view.ts): half of the reference task-list-view.test.ts renders (task-list-reference.tsx).
 */
import { raw } from 'hono/html';
import { AGENCY_ROLES, TASK_STATUS_LABELS, TASK_STATUSES } from '../../domain/task-query.ts';
import type { FilterChoices } from '../../domain/task-filter-choices.ts';
import { formatDateVi, parseDateInput } from '../../domain/dates.ts';
import { escapeHtml } from '../../views/html.ts';

const ROLE_OPTION_LABELS: Record<(typeof AGENCY_ROLES)[number], string> = {
  lead: 'chủ trì',
  coordinator: 'phối hợp',
  any: 'chủ trì hoặc phối hợp',
};

interface Option {
  value: string;
  label: string;
}

/** The filter form's options, labelled. */
// the choices are kept until the data changes (task-filter-choices.ts): so are their escaped options
const optionsOf = new WeakMap<FilterChoices, ReturnType<typeof buildOptions>>();
function options(c: FilterChoices) {
  let o = optionsOf.get(c);
  if (!o) optionsOf.set(c, (o = buildOptions(c)));
  return o;
}

const escapedOf = new WeakMap<Option[], Array<{ value: string; head: string; tail: string }>>();
function escapedOptions(list: Option[]) {
  let e = escapedOf.get(list);
  if (!e)
    escapedOf.set(
      list,
      (e = list.map((o) => ({
        value: o.value,
        head: `<option value="${escapeHtml(o.value)}"`,
        tail: `>${escapeHtml(o.label)}</option>`,
      }))),
    );
  return e;
}

function buildOptions(c: FilterChoices) {
  return {
    agencies: c.agencies.map(
      (a): Option => ({ value: a.code, label: a.merged_on || a.dissolved_on ? `${a.name} (đã sắp xếp lại)` : a.name }),
    ),
    leaders: c.leaders.map((l): Option => ({ value: String(l.id), label: `${l.name} — ${l.title}` })),
    sectors: c.sectors.map((x): Option => ({ value: x.code, label: x.name })),
  };
}

/** The raw query, as typed by the user, to redisplay after an error (JSX escapes it). */
export type Raw = Record<string, string>;

function Select(p: {
  name: string;
  label: string;
  options: Option[];
  value: string | undefined;
  empty: string;
  error?: string | undefined;
}) {
  const options = escapedOptions(p.options)
    .map((o) => (o.value === p.value ? `${o.head} selected${o.tail}` : o.head + o.tail))
    .join('');
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.error && <p class="error-text">{p.error}</p>}
      <select id={p.name} name={p.name} aria-invalid={p.error ? 'true' : undefined}>
        <option value="">{p.empty}</option>
        {raw(options)}
      </select>
    </div>
  );
}

function Input(p: {
  name: string;
  label: string;
  value: string | undefined;
  error?: string | undefined;
  hint?: string;
  size?: number;
  type?: string;
}) {
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.hint && <p class="hint">{p.hint}</p>}
      {p.error && <p class="error-text">{p.error}</p>}
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        size={p.size}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </div>
  );
}

export function FilterForm(p: { choices: FilterChoices; raw: Raw; errors: Record<string, string> }) {
  const { raw, errors } = p;
  const l = options(p.choices);
  const dateValue = (k: string) => {
    const v = raw[k];
    if (v === undefined || errors[k]) return v;
    const iso = parseDateInput(v);
    return iso ? formatDateVi(iso) : v;
  };
  return (
    <form method="get" action="/admin/tasks" class="filters" aria-label="Lọc danh sách nhiệm vụ">
      <Input name="q" label="Từ khoá (không cần dấu)" value={raw.q} error={errors.q} size={28} />
      <Select
        name="agency"
        label="Đơn vị"
        options={l.agencies}
        value={raw.agency}
        empty="— Tất cả đơn vị —"
        error={errors.agency}
      />
      <Select
        name="role"
        label="Vai trò của đơn vị"
        options={AGENCY_ROLES.map((r) => ({ value: r, label: ROLE_OPTION_LABELS[r] }))}
        value={raw.role}
        empty="chủ trì"
        error={errors.role}
      />
      <Select
        name="status"
        label="Tình trạng"
        options={TASK_STATUSES.map((s) => ({ value: s, label: TASK_STATUS_LABELS[s] }))}
        value={raw.status}
        empty="— Mọi tình trạng —"
        error={errors.status}
      />
      <Input
        name="asOf"
        label="Tính đến ngày"
        value={dateValue('asOf')}
        error={errors.asOf}
        hint="dd/mm/yyyy"
        size={11}
      />
      <Select
        name="leader"
        label="Lãnh đạo giao"
        options={l.leaders}
        value={raw.leader}
        empty="— Tất cả —"
        error={errors.leader}
      />
      <Select
        name="sector"
        label="Lĩnh vực"
        options={l.sectors}
        value={raw.sector}
        empty="— Tất cả —"
        error={errors.sector}
      />
      <Input
        name="document"
        label="Số văn bản"
        value={raw.document}
        error={errors.document}
        hint="ví dụ 1147/UBND-KSTT"
        size={16}
      />
      <Input
        name="assignedFrom"
        label="Giao từ ngày"
        value={dateValue('assignedFrom')}
        error={errors.assignedFrom}
        hint="dd/mm/yyyy"
        size={11}
      />
      <Input
        name="assignedTo"
        label="Giao đến ngày"
        value={dateValue('assignedTo')}
        error={errors.assignedTo}
        hint="dd/mm/yyyy"
        size={11}
      />
      <Select
        name="starred"
        label="Trọng tâm"
        options={[
          { value: '1', label: 'Chỉ nhiệm vụ trọng tâm' },
          { value: '0', label: 'Không trọng tâm' },
        ]}
        value={raw.starred}
        empty="— Tất cả —"
        error={errors.starred}
      />
      {raw.sort && <input type="hidden" name="sort" value={raw.sort} />}
      {raw.dir && <input type="hidden" name="dir" value={raw.dir} />}
      {raw.pageSize && <input type="hidden" name="pageSize" value={raw.pageSize} />}
      {raw.received && <input type="hidden" name="received" value={raw.received} />}
      {raw.updatedFrom && <input type="hidden" name="updatedFrom" value={raw.updatedFrom} />}
      {raw.confidential && <input type="hidden" name="confidential" value={raw.confidential} />}
      <div class="field">
        <button type="submit">Lọc</button> <a href="/admin/tasks">Bỏ lọc</a>
      </div>
    </form>
  );
}
