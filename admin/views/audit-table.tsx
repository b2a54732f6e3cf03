/**
 * The audit log's rows in Vietnamese (issue 11): action and target by their labels (admin/audit/labels.ts), the
 * details as "field: before → after" lines, and the raw row data one click away in a <details> element (works
 * without JavaScript).
 */
import type { AuditRow } from '../audit/audit.ts';
import { ACTOR_KIND_LABELS, AUDIT_TARGET_LABELS, auditActionLabel, describeAuditDetails } from '../audit/labels.ts';
import { formatDateTimeVi } from '../domain/dates.ts';
import { Table } from './components.tsx';

function prettyJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

function Details(p: { row: AuditRow }) {
  const lines = describeAuditDetails(p.row.details);
  return (
    <>
      {lines.length > 0 && (
        <ul class="audit-lines">
          {lines.map((l) =>
            l.value !== undefined ? (
              <li>
                <span class="audit-field">{l.label}:</span> {l.value}
              </li>
            ) : (
              <li>
                <span class="audit-field">{l.label}:</span> <del>{l.from}</del> → <ins>{l.to}</ins>
              </li>
            ),
          )}
        </ul>
      )}
      <details class="audit-raw">
        <summary>Dữ liệu gốc</summary>
        <pre>
          {prettyJson(
            JSON.stringify({
              action: p.row.action,
              target_type: p.row.target_type,
              target_id: p.row.target_id,
              actor_kind: p.row.actor_kind,
              actor_user_id: p.row.actor_user_id,
              user_agent: p.row.user_agent,
              details: JSON.parse(p.row.details || '{}'),
            }),
          )}
        </pre>
      </details>
    </>
  );
}

export function actorLabel(r: Pick<AuditRow, 'actor_name' | 'actor_kind'>): string {
  const kind = ACTOR_KIND_LABELS[r.actor_kind] ?? r.actor_kind;
  if (!r.actor_name) return `(${kind})`;
  return kind ? `${r.actor_name} (${kind})` : r.actor_name;
}

export function AuditTable(p: { rows: AuditRow[]; total: number }) {
  return (
    <Table
      caption={`${p.total} bản ghi`}
      head={['Thời điểm', 'Người thực hiện', 'Thao tác', 'Đối tượng', 'Địa chỉ IP', 'Chi tiết']}
      rows={p.rows.map((r) => [
        formatDateTimeVi(r.at),
        actorLabel(r),
        <span title={r.action}>{auditActionLabel(r.action)}</span>,
        r.target_type ? `${AUDIT_TARGET_LABELS[r.target_type] ?? r.target_type} ${r.target_id ?? ''}`.trim() : '',
        r.ip,
        <Details row={r} />,
      ])}
      empty="Không có bản ghi nào khớp bộ lọc."
    />
  );
}
