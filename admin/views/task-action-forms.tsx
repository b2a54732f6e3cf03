/**
 * The action forms of the task page: one form per action the viewer may take, each posting to
 * /admin/tasks/:code/<slug> (admin/routes/tasks.tsx). A refused action comes back with its message and what the
 * user typed in `state`. Reads nothing: the choices come from the task page view model.
 */
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { TaskActionKind } from '../domain/task-actions.ts';
import type { TaskPage } from '../domain/task-view.ts';
import { formatDateVi } from '../domain/dates.ts';
import { Flash } from './components.tsx';
import {
  ACCEPT_ATTACHMENTS,
  ChoiceField,
  DateField,
  FileField,
  formValue,
  TextAreaField,
  type FormValues,
} from './forms.tsx';
import { EditFields } from './task-edit-form.tsx';
import { DraftFiles, unitFormBody } from './unit-forms.tsx';

/** URL segment of each action: POST /admin/tasks/:code/<slug>. */
export const ACTION_SLUGS: Record<TaskActionKind, string> = {
  receive: 'receive',
  progress: 'progress',
  report: 'report',
  request_extension: 'extension-request',
  explain: 'explain',
  urge: 'urge',
  edit: 'edit',
  reassign: 'reassign',
  cancel: 'cancel',
  confirm: 'confirm',
  return_report: 'return',
  approve_extension: 'extension-approve',
  reject_extension: 'extension-reject',
  delegate: 'delegate',
  draft_report: 'draft',
  approve_submission: 'approve',
  send_back: 'send-back',
};

/** A refused action: which form, the message, and the values to show again. */
export interface FormState {
  kind: TaskActionKind;
  message: string;
  values: FormValues;
}

const v1 = formValue;

/** One action form. `kind` picks the fields; errors and typed values come back in `state`. */
export function ActionForm(p: { kind: TaskActionKind; page: TaskPage; state?: FormState }) {
  const { kind, page } = p;
  const code = page.task.code;
  const st = p.state?.kind === kind ? p.state : undefined;
  const values = st?.values ?? {};
  const id = (f: string) => `${ACTION_SLUGS[kind]}-${f}`;
  const action = `/admin/tasks/${code}/${ACTION_SLUGS[kind]}`;
  const multipart = kind === 'report' || kind === 'explain' || kind === 'progress' || kind === 'draft_report';
  const draft = page.unit?.draft ?? null;
  const err = st?.message;
  const requested = page.extension?.requestedDeadline ?? null;
  const body = (() => {
    const unitBody = unitFormBody(kind, page, values, id);
    if (unitBody) return unitBody as { title: string; fields: JSX.Element; button: string };
    switch (kind) {
      case 'receive':
        return { title: 'Xác nhận đã tiếp nhận nhiệm vụ', fields: null, button: 'Xác nhận tiếp nhận' };
      case 'progress':
        return {
          title: 'Báo cáo tiến độ',
          fields: (
            <>
              <TextAreaField
                id={id('note')}
                name="note"
                label="Tiến độ thực hiện"
                value={v1(values, 'note')}
                required
                maxlength={4000}
              />
              <FileField
                id={id('files')}
                name="files"
                label="Tệp đính kèm (không bắt buộc)"
                hint="PDF, Word, Excel, ảnh hoặc ZIP, như báo cáo kết quả. Có thể chọn nhiều tệp."
                multiple
                accept={ACCEPT_ATTACHMENTS}
              />
            </>
          ),
          button: 'Gửi báo cáo tiến độ',
        };
      case 'report':
        return {
          title: 'Báo cáo kết quả',
          fields: (
            <>
              {page.unit?.headApproval && page.unit && !page.actions.has('approve_submission') && (
                <p class="hint">Báo cáo được trình thủ trưởng đơn vị duyệt trước khi gửi Văn phòng.</p>
              )}
              <TextAreaField
                id={id('note')}
                name="note"
                label="Kết quả thực hiện"
                value={st ? v1(values, 'note') : (draft?.note ?? '')}
                required
                maxlength={4000}
                rows={4}
              />
              <DraftFiles page={page} values={values} refused={st !== undefined} id={id} />
              <FileField
                id={id('files')}
                name="files"
                label="Tệp đính kèm (văn bản báo cáo, tài liệu kết quả)"
                hint="PDF, Word, Excel, ảnh hoặc ZIP; mỗi tệp tối đa theo cấu hình (mặc định 20 MB). Có thể chọn nhiều tệp."
                multiple
                required={!draft || draft.files.length === 0}
                accept={ACCEPT_ATTACHMENTS}
              />
            </>
          ),
          button: 'Gửi báo cáo kết quả',
        };
      case 'request_extension':
        return {
          title: 'Đề nghị gia hạn',
          fields: (
            <>
              <p class="hint">Mỗi nhiệm vụ chỉ được gia hạn tối đa một lần.</p>
              <DateField
                id={id('new_deadline')}
                name="new_deadline"
                label="Thời hạn đề nghị"
                value={v1(values, 'new_deadline')}
                required
              />
              <TextAreaField
                id={id('note')}
                name="note"
                label="Lý do đề nghị gia hạn"
                value={v1(values, 'note')}
                required
                maxlength={4000}
              />
            </>
          ),
          button: 'Gửi đề nghị gia hạn',
        };
      case 'explain':
        return {
          title: 'Giải trình bằng văn bản',
          fields: (
            <>
              <p class="hint">Nhiệm vụ quá hạn hoặc hoàn thành quá hạn phải có giải trình bằng văn bản.</p>
              <TextAreaField
                id={id('note')}
                name="note"
                label="Nội dung giải trình"
                value={v1(values, 'note')}
                required
                maxlength={4000}
                rows={4}
              />
              <FileField
                id={id('files')}
                name="files"
                label="Văn bản giải trình đã ký (không bắt buộc)"
                accept={ACCEPT_ATTACHMENTS}
              />
            </>
          ),
          button: 'Gửi giải trình',
        };
      case 'urge':
        return {
          title: 'Đôn đốc đơn vị',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Nội dung đôn đốc (không bắt buộc)"
              value={v1(values, 'note')}
              maxlength={4000}
            />
          ),
          button: 'Ghi nhận đôn đốc',
        };
      case 'reassign': {
        const agencies = page.reassignTargets;
        return {
          title: 'Chuyển đơn vị chủ trì',
          fields: (
            <>
              <ChoiceField
                id={id('to_agency')}
                name="to_agency"
                label="Đơn vị chủ trì mới"
                emptyLabel="— Chọn đơn vị —"
                value={v1(values, 'to_agency')}
                options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
              />
              <TextAreaField
                id={id('note')}
                name="note"
                label="Lý do"
                value={v1(values, 'note')}
                required
                maxlength={4000}
              />
            </>
          ),
          button: 'Chuyển đơn vị',
        };
      }
      case 'cancel':
        return {
          title: 'Thu hồi nhiệm vụ',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Lý do thu hồi"
              value={v1(values, 'note')}
              required
              maxlength={4000}
            />
          ),
          button: 'Thu hồi nhiệm vụ',
          danger: true,
        };
      case 'confirm':
        return {
          title: 'Xác nhận hoàn thành',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Ghi chú (không bắt buộc)"
              value={v1(values, 'note')}
              maxlength={4000}
              rows={2}
            />
          ),
          button: 'Xác nhận hoàn thành',
        };
      case 'return_report':
        return {
          title: 'Trả lại báo cáo kết quả',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Lý do trả lại"
              value={v1(values, 'note')}
              required
              maxlength={4000}
              rows={2}
            />
          ),
          button: 'Trả lại báo cáo',
          danger: true,
        };
      case 'approve_extension':
        return {
          title: 'Đồng ý gia hạn',
          fields: (
            <>
              <DateField
                id={id('new_deadline')}
                name="new_deadline"
                label="Thời hạn mới"
                value={v1(values, 'new_deadline') || (requested ? formatDateVi(requested) : '')}
                required
                hint="Mặc định là thời hạn đơn vị đề nghị; có thể điều chỉnh. Thời hạn ban đầu vẫn được lưu."
              />
              <TextAreaField
                id={id('note')}
                name="note"
                label="Ghi chú (không bắt buộc)"
                value={v1(values, 'note')}
                maxlength={4000}
                rows={2}
              />
            </>
          ),
          button: 'Đồng ý gia hạn',
        };
      case 'reject_extension':
        return {
          title: 'Không đồng ý gia hạn',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Lý do không đồng ý"
              value={v1(values, 'note')}
              required
              maxlength={4000}
              rows={2}
            />
          ),
          button: 'Không đồng ý gia hạn',
          danger: true,
        };
      case 'edit':
        return {
          title: 'Điều chỉnh thông tin nhiệm vụ',
          fields: (
            <EditFields
              task={page.task}
              choices={page.editChoices}
              coordinatorIds={page.coordinatorIds}
              values={st ? values : undefined}
            />
          ),
          button: 'Lưu điều chỉnh',
        };
      // the head's approval forms sit beside each submission (unit-forms.tsx UnitPanel)
      case 'approve_submission':
      case 'send_back':
      case 'delegate':
      case 'draft_report':
        return null;
    }
  })();
  if (!body) return null;
  return (
    <section class="action" id={`action-${ACTION_SLUGS[kind]}`} aria-labelledby={`h-${ACTION_SLUGS[kind]}`}>
      <h3 id={`h-${ACTION_SLUGS[kind]}`}>{body.title}</h3>
      {err && <Flash kind="error">{err}</Flash>}
      <form method="post" action={action} enctype={multipart ? 'multipart/form-data' : undefined}>
        {body.fields}
        <button type="submit" class={'danger' in body && body.danger ? 'danger' : undefined}>
          {body.button}
        </button>
      </form>
    </section>
  );
}
