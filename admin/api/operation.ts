/**
 * One declaration per endpoint of /api/v1: method, path, permission, and the zod schemas of its path parameters,
 * query, body and response. `mount` registers the Hono route from it (validating the input with the same schemas)
 * and openapi.ts writes the OpenAPI document from the same objects, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { publicRoute, requirePermission, type Action } from '../auth/permissions.ts';
import { ApiError, apiErrorResponse, readJson, validate } from './errors.ts';
import { isIsoDate } from '../domain/dates.ts';

/** Named schemas of the OpenAPI document's components (responses and shared parts). */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Ngày không hợp lệ; dùng dạng YYYY-MM-DD (ví dụ 2026-06-30).', abort: true })
  .refine(isIsoDate, 'Ngày không tồn tại; dùng dạng YYYY-MM-DD (ví dụ 2026-06-30).')
  .meta({ format: 'date' });

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).meta({ description: 'Trang (từ 1)' }),
  pageSize: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Số dòng mỗi trang (tối đa 200)' }),
};

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .register(apiSchemas, {
    id: 'Error',
    description: 'Lỗi: mã ổn định, thông báo tiếng Việt, và với lỗi dữ liệu là danh sách trường sai.',
  });

export type Method = 'get' | 'post';

export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  id: string;
  method: Method;
  /** Hono path relative to /api/v1; a parameter may carry a pattern: /tasks/:code{NV-[0-9]+-[0-9]+} */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** the matrix action checked before the handler; null with publicReason for an open endpoint */
  action: Action | null;
  publicReason?: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: 200 | 201;
  /** error statuses the endpoint may answer besides 401/403/500 */
  errors?: number[];
  /** a non-JSON answer (a file): the handler returns the Response itself; `response` is then not used */
  raw?: { contentType: string; description: string };
}

export interface Input<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

export function defineOperation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
>(op: Operation<P, Q, B, R>): Operation<P, Q, B, R> {
  return op;
}

/**
 * A new sub-app for API routes. (No sub-app onError: Hono would wrap every handler and hide the permission
 * declarations the route-coverage test reads; mount() answers ApiErrors itself.)
 */
export function apiApp(): Hono<AppEnv> {
  return new Hono<AppEnv>();
}

/**
 * Registers `op` on `app`: permission first, then params/query (400) and body (422) validation with the op's
 * schemas, then the handler. Outside production the answer is checked against the response schema too, so every
 * route test also checks that the OpenAPI document tells the truth.
 */
export function mount<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  app: Hono<AppEnv>,
  op: Operation<P, Q, B, R>,
  handler: (c: Context<AppEnv>, input: Input<P, Q, B>) => z.input<R> | Response | Promise<z.input<R> | Response>,
): void {
  const guard = op.action ? requirePermission(op.action) : publicRoute(op.publicReason ?? 'public API endpoint');
  app.on(op.method.toUpperCase(), op.path, guard, async (c) => {
    try {
      return await answer(c);
    } catch (e) {
      if (e instanceof ApiError) return apiErrorResponse(c, e);
      throw e; // DomainError, HTTPException, bugs: app.ts onError (JSON, no stack)
    }
  });
  async function answer(c: Context<AppEnv>): Promise<Response> {
    const params = op.params ? validate(op.params, c.req.param(), 400) : {};
    const query = op.query ? validate(op.query, c.req.query(), 400) : {};
    if (!op.query && Object.keys(c.req.query()).length > 0) validate(z.strictObject({}), c.req.query(), 400);
    const body = op.body ? validate(op.body, await readJson(c), 422) : undefined;
    const result = await handler(c, { params, query, body } as Input<P, Q, B>);
    if (result instanceof Response) return result;
    if (!c.get('deps').env.production) {
      const check = op.response.safeParse(result);
      if (!check.success)
        throw new Error(
          `response of ${op.id} does not match its schema: ${JSON.stringify(check.error.issues.slice(0, 3))}`,
        );
    }
    return c.json(result as object, op.status ?? 200);
  }
}
