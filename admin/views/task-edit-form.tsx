/** The correction form of the task page ("Điều chỉnh thông tin nhiệm vụ"): fields prefilled from the task. */
import type { TaskRow } from '../domain/tasks.ts';
import type { EditChoices } from '../domain/task-view.ts';
import { formatDateVi } from '../domain/dates.ts';
import { Field } from './components.tsx';
import { CheckboxField, ChoiceField, DateField, formValue as v1, TextAreaField, type FormValues } from './forms.tsx';

export function EditFields(p: {
  task: TaskRow;
  choices: EditChoices | null;
  coordinatorIds: number[];
  values?: FormValues;
}) {
  const { task } = p;
  const coords = p.coordinatorIds.map(String);
  const v: FormValues = p.values ?? {
    title: task.title,
    content: task.content,
    leader: task.leader_id === null ? '' : String(task.leader_id),
    sector: task.sector_id === null ? '' : String(task.sector_id),
    coordinators: coords,
    starred: task.starred ? '1' : '',
    confidential: task.confidential ? '1' : '',
    deadline: task.deadline ? formatDateVi(task.deadline) : '',
    no_deadline: task.deadline === null ? '1' : '',
    no_deadline_reason: task.no_deadline_reason ?? '',
    reason: '',
  };
  const { leaders, sectors, coordinators: agencies } = p.choices ?? { leaders: [], sectors: [], coordinators: [] };
  const coordVals = Array.isArray(v.coordinators) ? v.coordinators : v.coordinators ? [v.coordinators] : [];
  return (
    <>
      <Field name="title" label="Tên nhiệm vụ" value={v1(v, 'title')} required maxlength={500} />
      <TextAreaField
        id="edit-content"
        name="content"
        label="Nội dung"
        value={v1(v, 'content')}
        maxlength={10000}
        rows={4}
      />
      <ChoiceField
        id="edit-leader"
        name="leader"
        label="Lãnh đạo giao"
        emptyLabel="— Không —"
        value={v1(v, 'leader')}
        options={leaders.map((l) => ({ value: String(l.id), label: `${l.name} (${l.title})` }))}
      />
      <ChoiceField
        id="edit-sector"
        name="sector"
        label="Lĩnh vực"
        emptyLabel="— Không —"
        value={v1(v, 'sector')}
        options={sectors.map((s) => ({ value: String(s.id), label: s.name }))}
      />
      <ChoiceField
        id="edit-coordinators"
        name="coordinators"
        label="Đơn vị phối hợp"
        hint="Giữ Ctrl để chọn nhiều đơn vị."
        multiple
        value={coordVals}
        options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
      />
      <CheckboxField
        id="edit-starred"
        name="starred"
        label="Nhiệm vụ ưu tiên (gắn sao)"
        checked={v1(v, 'starred') === '1'}
      />
      <CheckboxField
        id="edit-confidential"
        name="confidential"
        label="Mật (không công khai)"
        checked={v1(v, 'confidential') === '1'}
      />
      <DateField
        id="edit-deadline"
        name="deadline"
        label="Thời hạn"
        value={v1(v, 'deadline')}
        hint="Chỉ sửa được khi đơn vị chưa tiếp nhận (sửa lỗi nhập liệu); sau đó thời hạn chỉ thay đổi qua gia hạn."
      />
      <CheckboxField
        id="edit-no-deadline"
        name="no_deadline"
        label="Không thời hạn"
        checked={v1(v, 'no_deadline') === '1'}
      />
      <TextAreaField
        id="edit-no-deadline-reason"
        name="no_deadline_reason"
        label="Lý do không thời hạn"
        value={v1(v, 'no_deadline_reason')}
        maxlength={1000}
        rows={2}
      />
      <TextAreaField
        id="edit-reason"
        name="reason"
        label="Lý do điều chỉnh (bắt buộc, được ghi vào nhật ký)"
        value={v1(v, 'reason')}
        required
        maxlength={4000}
        rows={2}
      />
    </>
  );
}
