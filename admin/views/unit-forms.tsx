/**
 * The task page's part for the people of a unit (issue 11): who the task is delegated to, what waits for the head
 * (with approve / send back forms for the head), the latest draft, and the forms to delegate and to draft the
 * result report. Reads nothing: everything comes from TaskPage.unit (admin/domain/unit-steps.ts loadUnitView).
 */
import type { TaskActionKind } from '../domain/task-actions.ts';
import type { TaskPage } from '../domain/task-view.ts';
import { SUBJECT_LABELS, type InternalStep, type UnitView } from '../domain/unit-steps.ts';
import { formatDateTimeVi, formatDateVi } from '../domain/dates.ts';
import { Flash } from './components.tsx';
import { ACCEPT_ATTACHMENTS, DateField, FileField, formValue, TextAreaField, type FormValues } from './forms.tsx';
import { FileLinks } from './task-timeline.tsx';

/** A refused action coming back: which form, the message, and the values to show again. */
interface State {
  kind: TaskActionKind;
  message: string;
  values: FormValues;
}

function Submission(p: { s: InternalStep; code: string; canApprove: boolean; state?: State }) {
  const { s, code } = p;
  const mine = p.state && p.state.values.subject === s.subject ? p.state : undefined;
  const subject = s.subject!;
  const data = JSON.parse(s.data) as { newDeadline?: string };
  return (
    <li class="pending">
      <p>
        <strong>{SUBJECT_LABELS[subject]}</strong> — trình ngày {formatDateVi(s.occurred_on)} bởi {s.actor_name ?? ''}
        {data.newDeadline ? `, đề nghị gia hạn đến ${formatDateVi(data.newDeadline)}` : ''}
      </p>
      <p class="prewrap">{s.note}</p>
      <FileLinks files={s.files} />
      {p.canApprove && (
        <div class="action-list">
          <section class="action" id={`action-approve-${subject}`}>
            {mine?.kind === 'approve_submission' && <Flash kind="error">{mine.message}</Flash>}
            <form method="post" action={`/admin/tasks/${code}/approve`}>
              <input type="hidden" name="subject" value={subject} />
              <TextAreaField
                id={`approve-${subject}-note`}
                name="note"
                label="Ý kiến của thủ trưởng (không bắt buộc)"
                rows={2}
                maxlength={4000}
                value={mine?.kind === 'approve_submission' ? formValue(mine.values, 'note') : ''}
              />
              <button type="submit">Duyệt, gửi Văn phòng</button>
            </form>
          </section>
          <section class="action" id={`action-send-back-${subject}`}>
            {mine?.kind === 'send_back' && <Flash kind="error">{mine.message}</Flash>}
            <form method="post" action={`/admin/tasks/${code}/send-back`}>
              <input type="hidden" name="subject" value={subject} />
              <TextAreaField
                id={`send-back-${subject}-note`}
                name="note"
                label="Lý do trả lại"
                rows={2}
                required
                maxlength={4000}
                value={mine?.kind === 'send_back' ? formValue(mine.values, 'note') : ''}
              />
              <button type="submit" class="danger">
                Trả lại cán bộ đầu mối
              </button>
            </form>
          </section>
        </div>
      )}
    </li>
  );
}

/** The unit's own view of the task: delegations, what waits for the head, the draft. */
export function UnitPanel(p: { page: TaskPage; state?: State }) {
  const unit: UnitView | null = p.page.unit;
  if (!unit) return null;
  const { delegations, pending, draft } = unit;
  const canApprove = p.page.actions.has('approve_submission');
  if (delegations.length === 0 && pending.length === 0 && !draft && !unit.headApproval) return null;
  return (
    <section aria-labelledby="h-unit">
      <h2 id="h-unit">
        Trong đơn vị <span class="tag">nội bộ</span>
      </h2>
      <p class="hint">
        Phần này chỉ người của đơn vị thấy; không gửi Văn phòng, không công khai, không tính vào số liệu.
        {unit.headApproval ? ' Đơn vị yêu cầu thủ trưởng duyệt trước khi gửi Văn phòng.' : ''}
      </p>
      {delegations.length > 0 && (
        <>
          <h3>Chuyên viên được giao</h3>
          <ul>
            {delegations.map((d) => (
              <li>
                <strong>{d.user_name}</strong>
                {d.internal_due_on ? ` — hạn nội bộ ${formatDateVi(d.internal_due_on)}` : ''}
                {d.delegated_by_name ? ` — giao bởi ${d.delegated_by_name}` : ''} ({formatDateTimeVi(d.created_at)})
                {d.note && <p class="prewrap">{d.note}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
      {pending.length > 0 && (
        <>
          <h3>Đang chờ thủ trưởng duyệt</h3>
          <ul class="plain">
            {pending.map((s) => (
              <Submission s={s} code={p.page.task.code} canApprove={canApprove} state={p.state} />
            ))}
          </ul>
        </>
      )}
      {draft && (
        <>
          <h3>Dự thảo báo cáo kết quả</h3>
          <p>
            {draft.actor_name ?? ''}, {formatDateTimeVi(draft.recorded_at)}
          </p>
          <p class="prewrap">{draft.note}</p>
          <FileLinks files={draft.files} />
        </>
      )}
    </section>
  );
}

/** The fields of the unit's own action forms (delegate, draft), in ActionForm's shape. */
export function unitFormBody(
  kind: TaskActionKind,
  page: TaskPage,
  values: FormValues,
  id: (f: string) => string,
): { title: string; fields: unknown; button: string } | null {
  switch (kind) {
    case 'delegate': {
      const chosen = new Set(Array.isArray(values.officers) ? values.officers : []);
      const live = new Set(page.unit?.delegations.map((d) => d.user_id) ?? []);
      const officers = (page.unit?.officers ?? []).filter((o) => !live.has(o.id));
      return {
        title: 'Giao chuyên viên thực hiện',
        fields: (
          <>
            <fieldset class="field">
              <legend>Chuyên viên</legend>
              {officers.length === 0 && <p class="hint">Mọi chuyên viên của đơn vị đã được giao nhiệm vụ này.</p>}
              {officers.map((o) => (
                <div class="checkbox">
                  <input
                    type="checkbox"
                    id={id(`officer-${o.id}`)}
                    name="officers"
                    value={String(o.id)}
                    checked={chosen.has(String(o.id))}
                  />
                  <label for={id(`officer-${o.id}`)}>{o.name}</label>
                </div>
              ))}
            </fieldset>
            <DateField
              id={id('internal_due')}
              name="internal_due"
              label="Hạn nội bộ (không bắt buộc, sớm hơn thời hạn của nhiệm vụ)"
              value={formValue(values, 'internal_due')}
            />
            <TextAreaField
              id={id('note')}
              name="note"
              label="Nội dung giao việc (không bắt buộc)"
              value={formValue(values, 'note')}
              maxlength={4000}
              rows={2}
            />
          </>
        ),
        button: 'Giao việc',
      };
    }
    case 'draft_report':
      return {
        title: 'Soạn dự thảo báo cáo kết quả',
        fields: (
          <>
            <p class="hint">
              Dự thảo chỉ lưu trong đơn vị; cán bộ đầu mối hoặc thủ trưởng đơn vị gửi báo cáo cho Văn phòng.
            </p>
            <TextAreaField
              id={id('note')}
              name="note"
              label="Kết quả thực hiện (dự thảo)"
              value={formValue(values, 'note') || page.unit?.draft?.note || ''}
              required
              maxlength={4000}
              rows={4}
            />
            <FileField
              id={id('files')}
              name="files"
              label="Tệp đính kèm (không bắt buộc)"
              multiple
              accept={ACCEPT_ATTACHMENTS}
            />
          </>
        ),
        button: 'Lưu dự thảo',
      };
    default:
      return null;
  }
}

/** On the result report form: the draft's files, reused unless unticked. */
export function DraftFiles(p: { page: TaskPage; values: FormValues; refused: boolean; id: (f: string) => string }) {
  const draft = p.page.unit?.draft;
  if (!draft || draft.files.length === 0) return null;
  const chosen = new Set(Array.isArray(p.values.draft_files) ? p.values.draft_files : []);
  return (
    <fieldset class="field">
      <legend>Tệp của dự thảo (gửi kèm)</legend>
      {draft.files.map((f) => (
        <div class="checkbox">
          <input
            type="checkbox"
            id={p.id(`draft-${f.id}`)}
            name="draft_files"
            value={String(f.id)}
            checked={p.refused ? chosen.has(String(f.id)) : true}
          />
          <label for={p.id(`draft-${f.id}`)}>{f.original_name}</label>
        </div>
      ))}
    </fieldset>
  );
}
