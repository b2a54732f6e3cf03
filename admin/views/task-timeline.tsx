/**
 * The task timeline ("Diễn biến") and the file links of events: what each event says, who recorded it, for which
 * unit, with its files. Reads nothing: everything comes from the task page view model (admin/domain/task-view.ts).
 */
import { EVENT_LABELS } from '../domain/status.ts';
import { EDIT_FIELD_LABELS, type TaskEdit } from '../domain/task-actions.ts';
import type { EventFile, ImportedFrom, TimelineEvent } from '../domain/task-view.ts';
import { formatDateTimeVi, formatDateVi, today } from '../domain/dates.ts';
import { formatSize } from '../files/store.ts';
import { Table } from './components.tsx';
import { STEP_LABELS, SUBJECT_LABELS, type InternalStep } from '../domain/unit-steps.ts';
import type { AgencyNamer } from '../domain/agency-names.ts';

/** An agency as it was named on `date`, with "(nay là …)" when it is called otherwise today. */
function agencyOn(names: TimelineNames, id: number, date: string, withCurrent = true): string {
  if (!names.namer) return names.agencies.get(id) ?? '';
  return withCurrent ? names.namer.labelAsOf(id, date) : names.namer.nameAsOf(id, date);
}

/** Names the timeline needs to show agency, leader and sector ids. */
export interface TimelineNames {
  agencies: Map<number, string>;
  /** names as of each event's day (issue 12); without it, the current names */
  namer?: AgencyNamer;
  leaders: Map<number, string>;
  sectors: Map<number, string>;
}

export function FileLinks(p: { files?: ReadonlyArray<Pick<EventFile, 'id' | 'original_name' | 'size'>> }) {
  if (!p.files || p.files.length === 0) return null;
  return (
    <ul class="files">
      {p.files.map((f) => (
        <li>
          <a href={`/admin/files/${f.id}`} download>
            {f.original_name}
          </a>{' '}
          <span class="muted">({formatSize(f.size)})</span>
        </li>
      ))}
    </ul>
  );
}

function formatEditValue(field: string, v: unknown, names: TimelineNames): string {
  if (v === null || v === undefined || v === '') return '(trống)';
  switch (field) {
    case 'deadline':
      return formatDateVi(String(v));
    case 'starred':
    case 'confidential':
      return v ? 'có' : 'không';
    case 'coordinatorIds':
      return (v as number[]).map((a) => names.agencies.get(a) ?? `#${a}`).join('; ') || '(không)';
    case 'leaderId':
      return names.leaders.get(Number(v)) ?? `#${String(v)}`;
    case 'sectorId':
      return names.sectors.get(Number(v)) ?? `#${String(v)}`;
    default: {
      const s = String(v);
      return s.length > 200 ? `${s.slice(0, 200)}…` : s;
    }
  }
}

function EventDetails(p: { e: TimelineEvent; names: TimelineNames }) {
  const data = JSON.parse(p.e.data) as Record<string, unknown>;
  const on = p.e.occurred_on;
  switch (p.e.kind) {
    case 'assigned':
      return <span>Thời hạn: {data.deadline ? formatDateVi(String(data.deadline)) : 'không thời hạn'}</span>;
    case 'extension_requested':
      return data.newDeadline ? <span>Đề nghị gia hạn đến {formatDateVi(String(data.newDeadline))}</span> : null;
    case 'extension_approved':
      return <span>Gia hạn đến {formatDateVi(String(data.newDeadline))}</span>;
    case 'reassigned':
      return (
        <span>
          Từ {agencyOn(p.names, Number(data.fromAgencyId), on, false) || '?'} sang{' '}
          {agencyOn(p.names, Number(data.toAgencyId), on, false) || '?'}
        </span>
      );
    case 'corrected': {
      const changes = (data.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
      return (
        <ul class="changes">
          {Object.entries(changes).map(([f, d]) => (
            <li>
              {EDIT_FIELD_LABELS[f as keyof TaskEdit] ?? f}: {formatEditValue(f, d.from, p.names)} →{' '}
              {formatEditValue(f, d.to, p.names)}
            </li>
          ))}
        </ul>
      );
    }
    default:
      return null;
  }
}

/** Who acted, for an imported event: the file and the importer, never the importer as if they had acted. */
export function importedLabel(i: ImportedFrom): string {
  return `Nhập từ tệp ${i.fileName} (bởi ${i.importedBy ?? 'dòng lệnh npm run import'}, ${formatDateVi(today(new Date(i.importedAt)))})`;
}

function StepDetails(p: { s: InternalStep }) {
  const data = JSON.parse(p.s.data) as { names?: string[]; internalDueOn?: string | null; newDeadline?: string };
  switch (p.s.kind) {
    case 'delegated':
      return (
        <span>
          Giao: {(data.names ?? []).join('; ')}
          {data.internalDueOn ? ` — hạn nội bộ ${formatDateVi(data.internalDueOn)}` : ''}
        </span>
      );
    case 'submitted':
      return data.newDeadline ? <span>Đề nghị gia hạn đến {formatDateVi(data.newDeadline)}</span> : null;
    default:
      return null;
  }
}

/** One row of an internal step of the unit (issue 11): marked "nội bộ", never published. */
function stepRow(s: InternalStep, names: TimelineNames) {
  return [
    <span title={formatDateTimeVi(s.recorded_at)}>{formatDateVi(s.occurred_on)}</span>,
    <>
      {STEP_LABELS[s.kind]}
      {s.subject && s.kind !== 'draft_saved' ? ` (${SUBJECT_LABELS[s.subject].toLowerCase()})` : ''}
      <span class="tag">nội bộ</span>
    </>,
    s.actor_name ?? 'Hệ thống',
    agencyOn(names, s.agency_id, s.occurred_on),
    <>
      {s.note && <p class="prewrap">{s.note}</p>}
      <StepDetails s={s} />
    </>,
    <FileLinks files={s.files} />,
  ];
}

/** The timeline table, oldest first: the task's events and, for people of the unit, its internal steps. */
export function TaskTimeline(p: { events: TimelineEvent[]; names: TimelineNames; steps?: InternalStep[] }) {
  type Row = { on: string; at: string; row: unknown[] };
  const rows: Row[] = [
    ...p.events.map((e) => ({ on: e.occurred_on, at: e.recorded_at, row: eventRow(e, p.names) })),
    ...(p.steps ?? []).map((s) => ({ on: s.occurred_on, at: s.recorded_at, row: stepRow(s, p.names) })),
  ];
  // stable: events keep their order; a step goes after the events of its day recorded before it
  rows.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const steps = p.steps?.length ?? 0;
  return (
    <Table
      caption={`${p.events.length} sự kiện${steps > 0 ? `, ${steps} bước nội bộ của đơn vị` : ''}`}
      head={['Ngày', 'Sự kiện', 'Người thực hiện', 'Đơn vị', 'Nội dung', 'Tệp']}
      rows={rows.map((r) => r.row as Parameters<typeof Table>[0]['rows'][number])}
    />
  );
}

function eventRow(e: TimelineEvent, names: TimelineNames) {
  const p = { names };
  return [
    <span title={formatDateTimeVi(e.recorded_at)}>{formatDateVi(e.occurred_on)}</span>,
    <>
      {EVENT_LABELS[e.kind]}
      {e.public ? '' : <span class="tag">nội bộ</span>}
    </>,
    e.importedFrom ? importedLabel(e.importedFrom) : (e.actor_name ?? 'Hệ thống'),
    e.agency_id ? agencyOn(p.names, e.agency_id, e.occurred_on) : '',
    <>
      {e.note && <p class="prewrap">{e.note}</p>}
      <EventDetails e={e} names={p.names} />
    </>,
    <FileLinks files={e.files} />,
  ];
}
