/** The integration API tests' world (admin/api/*.test.ts): an app with API clients, a leader, valid inputs. */
import { makeTestApp, type TestApp } from './admin-app.ts';
import { withApiClients } from './api.ts';
import { samplePdf } from '../fixtures/files.ts';

export function setup() {
  const t = makeTestApp();
  const api = withApiClients(t);
  const leaderId = Number(
    t.db.prepare("INSERT INTO leaders (name, title) VALUES ('Trần Văn Chủ', 'Chủ tịch UBND tỉnh')").run()
      .lastInsertRowid,
  );
  return { t, api, tk: api.tokens, leaderId };
}

export const pdf = (name = 'Báo cáo kết quả.pdf') => ({
  name,
  contentBase64: Buffer.from(samplePdf()).toString('base64'),
});

export const validTask = (over: Record<string, unknown> = {}) => ({
  title: 'Báo cáo tình hình giải ngân vốn đầu tư công',
  leadAgency: 'STC',
  coordinatingAgencies: ['SYT'],
  assignedOn: '2026-03-01',
  deadline: '2026-04-15',
  ...over,
});

export const docTask = (leaderId: number, over: Record<string, unknown> = {}) => {
  const { assignedOn: _a, ...rest } = validTask({ leaderId, ...over });
  return rest;
};

export const validDocument = (leaderId: number, over: Record<string, unknown> = {}) => ({
  number: '1147/UBND-KSTT',
  type: 'Công văn',
  issuedOn: '2026-02-27',
  signerId: leaderId,
  summary: 'Triển khai nhiệm vụ quý I',
  tasks: [
    docTask(leaderId),
    docTask(leaderId, { title: 'Kiểm tra an toàn thực phẩm', leadAgency: 'SYT', coordinatingAgencies: [] }),
    docTask(leaderId, {
      title: 'Rà soát đơn vị hành chính',
      leadAgency: 'UBND-HX',
      coordinatingAgencies: ['STC'],
      deadline: null,
      noDeadlineReason: 'Theo tiến độ của Trung ương',
    }),
  ],
  ...over,
});

export function auditActions(t: TestApp, action: string) {
  return t.db
    .prepare(
      'SELECT actor_kind, actor_name, target_type, target_id, details FROM audit_log WHERE action = ? ORDER BY id',
    )
    .all(action) as Array<{
    actor_kind: string;
    actor_name: string;
    target_type: string;
    target_id: string;
    details: string;
  }>;
}
