/**
 * The directive document entry form (admin/routes/documents.tsx): the document's fields and N task blocks
 * t0…t{n-1}, with the errors of a refused submission beside their fields. Reads nothing: choices come in.
 */
import type { NewTaskChoices } from '../domain/document-view.ts';
import { DOCUMENT_TYPES, MAX_TASKS_PER_DOCUMENT, type RawDocument, type RawTask } from '../domain/documents.ts';
import { ErrorSummary, Field, Flash } from './components.tsx';
import { ACCEPT_ATTACHMENTS, CheckboxField, ChoiceField, DateField, FileField, TextAreaField } from './forms.tsx';

export interface Options {
  agencies: Array<{ value: string; label: string }>;
  leaders: Array<{ value: string; label: string }>;
  sectors: Array<{ value: string; label: string }>;
}

/** The entry form's choices, labelled. */
export function documentFormOptions(choices: NewTaskChoices): Options {
  const { agencies, leaders, sectors } = choices;
  return {
    agencies: agencies.map((a) => ({ value: String(a.id), label: a.name })),
    leaders: leaders.map((l) => ({ value: String(l.id), label: `${l.name} — ${l.title}` })),
    sectors: sectors.map((s) => ({ value: String(s.id), label: s.name })),
  };
}

/** The no-deadline part is open for a task marked without deadline, with a reason typed, or with an error there. */
function noDeadlineOpen(t: RawTask, errors: Record<string, string>, k: (f: string) => string): boolean {
  return t.noDeadline || t.noDeadlineReason.trim() !== '' || errors[k('no_deadline_reason')] !== undefined;
}

/**
 * Several agencies as a list of checkboxes (works without JavaScript; the box scrolls); document-form.js adds a
 * filter box that hides non-matching names (ignoring diacritics) and keeps the checked ones visible.
 */
function AgencyChecklist(p: {
  name: string;
  legend: string;
  value: string[];
  error?: string | undefined;
  options: Array<{ value: string; label: string }>;
}) {
  const chosen = new Set(p.value);
  return (
    <fieldset
      class={`field checklist${p.error ? ' has-error' : ''}`}
      id={p.name}
      aria-describedby={p.error ? `${p.name}_error` : undefined}
    >
      <legend>{p.legend}</legend>
      {p.error && (
        <p class="error-text" id={`${p.name}_error`}>
          {p.error}
        </p>
      )}
      <div class="checklist-items" data-filter-label="Tìm đơn vị phối hợp">
        {p.options.map((o) => (
          <label class="checklist-item">
            <input type="checkbox" name={p.name} value={o.value} checked={chosen.has(o.value)} /> {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function TaskBlock(p: { i: number; t: RawTask; errors: Record<string, string>; opts: Options }) {
  const { i, t, errors, opts } = p;
  const k = (f: string) => `t${i}_${f}`;
  return (
    <fieldset class="task-block" data-index={String(i)}>
      <legend>Nhiệm vụ {i + 1}</legend>
      <Field name={k('title')} label="Tên nhiệm vụ" value={t.title} error={errors[k('title')]} maxlength={500} />
      <TextAreaField
        name={k('content')}
        label="Nội dung"
        value={t.content}
        error={errors[k('content')]}
        maxlength={10000}
        rows={3}
      />
      <ChoiceField
        name={k('lead')}
        label="Đơn vị chủ trì"
        emptyLabel="— Chọn đơn vị —"
        value={t.lead}
        error={errors[k('lead')]}
        options={opts.agencies}
      />
      <AgencyChecklist
        name={k('coordinators')}
        legend="Đơn vị phối hợp (không bắt buộc)"
        value={t.coordinators}
        error={errors[k('coordinators')]}
        options={opts.agencies}
      />
      <ChoiceField
        name={k('leader')}
        label="Lãnh đạo giao nhiệm vụ"
        emptyLabel="— Chọn lãnh đạo —"
        value={t.leader}
        error={errors[k('leader')]}
        options={opts.leaders}
      />
      <ChoiceField
        name={k('sector')}
        label="Lĩnh vực (không bắt buộc)"
        emptyLabel="— Không chọn —"
        value={t.sector}
        error={errors[k('sector')]}
        options={opts.sectors}
      />
      <DateField name={k('deadline')} label="Thời hạn" value={t.deadline} error={errors[k('deadline')]} />
      {/* closed unless this task has no deadline: the warning and the reason belong to such tasks only; a
          <details> opens and closes without JavaScript */}
      <details class="no-deadline" open={noDeadlineOpen(t, errors, k)}>
        <summary>Giao nhiệm vụ không có thời hạn</summary>
        <p class="warning" role="note">
          Chủ tịch UBND tỉnh chỉ đạo Văn phòng hạn chế giao nhiệm vụ không có thời hạn. Chỉ chọn khi thật cần thiết và
          ghi rõ lý do; nhiệm vụ không thời hạn được đôn đốc định kỳ 3 tháng một lần.
        </p>
        <CheckboxField name={k('no_deadline')} label="Không thời hạn" checked={t.noDeadline} />
        <TextAreaField
          name={k('no_deadline_reason')}
          label="Lý do giao nhiệm vụ không thời hạn"
          value={t.noDeadlineReason}
          error={errors[k('no_deadline_reason')]}
          maxlength={1000}
          rows={2}
        />
      </details>
      <CheckboxField name={k('starred')} label="Nhiệm vụ ưu tiên (gắn sao)" checked={t.starred} />
      <CheckboxField
        name={k('confidential')}
        label="Mật — không công khai trên trang thông tin"
        checked={t.confidential}
      />
    </fieldset>
  );
}

/** A file accepted in a submission that came back, held on the server for the next one (files/held-uploads.ts). */
export interface HeldFile {
  token: string;
  name: string;
}

export function DocumentForm(p: {
  raw: RawDocument;
  errors: Record<string, string>;
  opts: Options;
  notice?: string | undefined;
  held?: HeldFile | undefined;
}) {
  const { raw, errors, opts } = p;
  return (
    <form method="post" action="/admin/documents/new" enctype="multipart/form-data" class="document-form" novalidate>
      <ErrorSummary errors={errors} />
      {p.notice && <Flash kind="info">{p.notice}</Flash>}
      <fieldset>
        <legend>Văn bản chỉ đạo</legend>
        <Field
          name="number"
          label="Số, ký hiệu"
          hint="Ví dụ: 1147/UBND-KSTT, 52/TB-UBND, 3180/QĐ-UBND."
          value={raw.number}
          error={errors.number}
          maxlength={50}
        />
        <ChoiceField
          name="doc_type"
          label="Loại văn bản"
          emptyLabel="— Chọn loại —"
          value={raw.docType}
          error={errors.doc_type}
          options={DOCUMENT_TYPES.map((t) => ({ value: t, label: t }))}
        />
        <DateField name="issued_on" label="Ngày ban hành" value={raw.issuedOn} error={errors.issued_on} />
        <ChoiceField
          name="signer"
          label="Lãnh đạo ký"
          emptyLabel="— Chọn lãnh đạo —"
          value={raw.signer}
          error={errors.signer}
          options={opts.leaders}
        />
        <TextAreaField
          name="summary"
          label="Trích yếu"
          value={raw.summary}
          error={errors.summary}
          maxlength={2000}
          rows={3}
        />
        <FileField
          name="file"
          label="Tệp văn bản (không bắt buộc)"
          hint="PDF, Word, Excel, ảnh hoặc ZIP."
          error={errors.file}
          accept={ACCEPT_ATTACHMENTS}
        />
        {p.held && (
          <div class="held-file" id="held-file">
            <input type="hidden" name="held_file" value={p.held.token} />
            <p class="flash flash-info">
              Đã giữ lại tệp “{p.held.name}”: không cần chọn lại. Chọn tệp khác ở trên nếu muốn thay.
            </p>
            <CheckboxField name="drop_held" label="Bỏ tệp này (lưu văn bản không kèm tệp)" />
          </div>
        )}
      </fieldset>
      <input type="hidden" name="task_count" value={String(raw.tasks.length)} id="task_count" />
      {errors.tasks && <p class="error-text">{errors.tasks}</p>}
      <div id="task-blocks">
        {raw.tasks.map((t, i) => (
          <TaskBlock i={i} t={t} errors={errors} opts={opts} />
        ))}
      </div>
      <div class="actions">
        {raw.tasks.length < MAX_TASKS_PER_DOCUMENT && (
          <button type="submit" name="add_task" value="1" class="secondary" id="add-task" formnovalidate>
            Thêm nhiệm vụ
          </button>
        )}
        <button type="submit" name="save" value="1">
          Lưu văn bản và giao nhiệm vụ
        </button>
      </div>
    </form>
  );
}
