/**
 * GET /api/v1/tasks — the task list with the admin list's filters, through THE task query (admin/domain/task-query.ts:
 * taskFilterSchema, parseTaskFilter, queryTasks), scoped by taskScopeSql: an agency client lists only the tasks its
 * agency leads or coordinates.
 */
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { parseTaskFilter, queryTasks, taskFilterSchema } from '../domain/task-query.ts';
import { today } from '../domain/dates.ts';
import { apiApp, apiSchemas, defineOperation, isoDate, mount } from './operation.ts';
import { ApiError, VALIDATION_MESSAGE } from './errors.ts';
import { TaskSchema, taskViews } from './task-view.ts';

export const TaskListSchema = z
  .object({
    items: z.array(TaskSchema),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    asOf: isoDate.meta({ description: 'ngày tính tình trạng của mỗi nhiệm vụ' }),
  })
  .register(apiSchemas, { id: 'TaskList' });

export const listTasksOp = defineOperation({
  id: 'listTasks',
  method: 'get',
  path: '/tasks',
  tag: 'tasks',
  summary: 'Danh sách nhiệm vụ (cùng bộ lọc với trang quản trị)',
  description:
    'q: từ khoá không dấu ("so tai chinh" tìm được "Sở Tài chính"); agency + role (lead|coordinator|any): mã đơn vị; ' +
    'status (completedOnTime, completedLate, inProgress, overdue, noDeadline, awaitingConfirmation, dueSoon, cancelled) tính đến asOf ' +
    '(YYYY-MM-DD hoặc dd/mm/yyyy, mặc định hôm nay); leader: mã số lãnh đạo; sector: mã lĩnh vực; document: số văn bản; ' +
    'starred/confidential/received: 1 hoặc 0; assignedFrom/assignedTo/updatedFrom: ngày; sort, dir, page, pageSize (tối đa 200). ' +
    'Đơn vị chỉ thấy nhiệm vụ mình chủ trì hoặc phối hợp.',
  action: 'task.read',
  query: taskFilterSchema,
  response: TaskListSchema,
  errors: [400],
});

export const TASK_LIST_OPERATIONS = [listTasksOp];

export function taskListApi(deps: AppDeps) {
  const { db, clock } = deps;
  const app = apiApp();
  mount(app, listTasksOp, (c) => {
    const parsed = parseTaskFilter(c.req.query(), { now: clock(), db });
    if (!parsed.ok) throw new ApiError(400, 'validation', VALIDATION_MESSAGE, parsed.errors);
    const r = queryTasks(db, c.get('principal')!, parsed.filter, { live: parsed.filter.asOf === today(clock()) });
    return {
      items: taskViews(
        db,
        r.rows.map((x) => x.id),
        r.asOf,
      ),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
      asOf: r.asOf,
    };
  });
  return app;
}
