/**
 * Every route file, mounted by app.ts in this order. To add a resource: write admin/routes/NAME.tsx exporting
 * `nameRoutes(deps) => Hono<AppEnv>` (paths relative to the mount point, each with requirePermission(action) or
 * publicRoute(reason)), add it to the list, and add its actions to admin/auth/permissions.ts.
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { noticesRoutes } from './notices.tsx';
import { staticRoutes } from './static.ts';
import { authRoutes } from './auth.tsx';
import { dashboardRoutes } from './dashboard.tsx';
import { overviewRoutes } from './overview.tsx';
import { accountRoutes } from './account.tsx';
import { usersRoutes } from './users.tsx';
import { auditRoutes } from './audit.tsx';
import { tasksRoutes } from './tasks.tsx';
import { apiClientsRoutes } from './api-clients.tsx';
import { agenciesRoutes } from './agencies.tsx';
import { agencySplitRoutes } from './agency-split.tsx';
import { provinceMergeRoutes } from './province-merge.tsx';
import { catalogRoutes } from './catalog.tsx';
import { publishRoutes } from './publish.tsx';
import { meetingReportRoutes } from './meeting-report.tsx';
import { importRoutes } from './import.tsx';
import { settingsRoutes } from './settings.tsx';
import { deadlineCalendarRoutes, holidaysRoutes } from './holidays.tsx';
import { filesRoutes } from './files.ts';
import { documentsRoutes } from './documents.tsx';
import { queuesRoutes } from './queues.tsx';
import { taskListRoutes } from './task-list.tsx';
import { activityRoutes } from './activity.tsx';
import { calendarFeedRoutes } from './calendar-feed.tsx';
import { replyRoutes } from './replies.tsx';
import { agenciesApi } from '../api/agencies.ts';
import { documentsApi } from '../api/documents.ts';
import { taskListApi } from '../api/task-list.ts';
import { tasksApi } from '../api/tasks.ts';
import { statsApi } from '../api/stats.ts';
import { openApiRoutes } from '../api/openapi.ts';
import { filesApi } from '../api/files.ts';

export type RouteFactory = (deps: AppDeps) => Hono<AppEnv>;

/** Mounted under /admin. */
export const ADMIN_ROUTES: RouteFactory[] = [
  // before any page computes a status: the holiday calendar in step with the database
  deadlineCalendarRoutes,
  // first: its middleware gives every page the bell's unread count
  noticesRoutes,
  staticRoutes,
  authRoutes,
  dashboardRoutes,
  overviewRoutes,
  accountRoutes,
  usersRoutes,
  auditRoutes,
  tasksRoutes,
  taskListRoutes,
  activityRoutes,
  apiClientsRoutes,
  agenciesRoutes,
  agencySplitRoutes,
  provinceMergeRoutes,
  catalogRoutes,
  publishRoutes,
  meetingReportRoutes,
  importRoutes,
  settingsRoutes,
  holidaysRoutes,
  filesRoutes,
  documentsRoutes,
  queuesRoutes,
  calendarFeedRoutes,
  replyRoutes,
];

/** Mounted under /api/v1 (bearer tokens, JSON): admin/api/*, each operation also described in openapi.ts. */
export const API_ROUTES: RouteFactory[] = [
  deadlineCalendarRoutes,
  agenciesApi,
  documentsApi,
  taskListApi,
  tasksApi,
  filesApi,
  statsApi,
  openApiRoutes,
];
