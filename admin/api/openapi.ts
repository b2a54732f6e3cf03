/**
 * GET /api/v1/openapi.json — OpenAPI 3.1, written at start-up from the same Operation objects and zod schemas the
 * routes validate with (z.toJSONSchema), so the description cannot drift from the code.
 *
 * Public on purpose: it holds no data, a partner needs it before an administrator issues a token, and the API is
 * served behind the office network like the admin panel. Calls are still audited like every /api call.
 */
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { apiApp, apiSchemas, defineOperation, mount, type Operation } from './operation.ts';
import { AGENCY_OPERATIONS } from './agencies.ts';
import { DOCUMENT_OPERATIONS } from './documents.ts';
import { TASK_OPERATIONS } from './tasks.ts';
import { STATS_OPERATIONS } from './stats.ts';
import { TASK_LIST_OPERATIONS } from './task-list.ts';
import { FILE_OPERATIONS } from './files.ts';

type JsonSchema = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Tham số hoặc JSON không hợp lệ (code: validation, malformed_json)',
  401: 'Thiếu mã truy cập, mã sai, đã thu hồi hoặc hết hạn',
  403: 'Ngoài phạm vi quyền của hệ thống kết nối (được ghi nhật ký)',
  404: 'Không tìm thấy',
  409: 'Trái quy tắc nghiệp vụ (ví dụ: gia hạn lần thứ hai, xác nhận khi chưa có báo cáo) hoặc trùng',
  413: 'Dữ liệu gửi lên quá lớn',
  415: 'Chỉ nhận application/json',
  422: 'Dữ liệu không hợp lệ (code: validation, kèm issues) hoặc trái quy tắc nghiệp vụ',
  500: 'Lỗi hệ thống',
};

export const openApiOp = defineOperation({
  id: 'getOpenApi',
  method: 'get',
  path: '/openapi.json',
  tag: 'meta',
  summary: 'Tài liệu OpenAPI 3.1 của API này',
  action: null,
  publicReason: 'OpenAPI description: no data, needed by a partner before a token is issued',
  response: z.looseObject({
    openapi: z.literal('3.1.0'),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  }),
});

/** Every operation of /api/v1, in the order the document lists them. */
export const API_OPERATIONS: Operation[] = [
  ...AGENCY_OPERATIONS,
  ...DOCUMENT_OPERATIONS,
  ...TASK_LIST_OPERATIONS,
  ...TASK_OPERATIONS,
  ...FILE_OPERATIONS,
  ...STATS_OPERATIONS,
  openApiOp,
] as Operation[];

/** '/tasks/:code{NV-…}/events' → '/tasks/{code}/events' */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '{$1}');
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function inputSchema(schema: z.ZodType): JsonSchema {
  return strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const js = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (js.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function responseSchema(schema: z.ZodType): JsonSchema {
  const id = apiSchemas.get(schema)?.id;
  if (id) return { $ref: REF(id) };
  return strip(z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema);
}

export function buildOpenApi(operations: readonly Operation[] = API_OPERATIONS): JsonSchema {
  const { schemas } = z.toJSONSchema(apiSchemas, { uri: REF, unrepresentable: 'any' }) as {
    schemas: Record<string, JsonSchema>;
  };
  const components: Record<string, JsonSchema> = {};
  for (const [id, s] of Object.entries(schemas)) components[id] = strip(s);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    const status = String(op.status ?? 200);
    const responses: Record<string, JsonSchema> = {
      [status]: op.raw
        ? {
            description: op.raw.description,
            content: { [op.raw.contentType]: { schema: { type: 'string', format: 'binary' } } },
          }
        : {
            description: status === '201' ? 'Đã tạo' : 'Thành công',
            content: { 'application/json': { schema: responseSchema(op.response) } },
          },
    };
    const errors = new Set([...(op.errors ?? []), ...(op.action ? [401, 403] : []), 500]);
    for (const e of [...errors].sort()) {
      responses[String(e)] = {
        description: ERROR_DESCRIPTIONS[e] ?? 'Lỗi',
        content: { 'application/json': { schema: { $ref: REF('Error') } } },
      };
    }
    const operation: JsonSchema = {
      operationId: op.id,
      summary: op.summary,
      description: [
        op.description,
        op.action ? `Quyền cần có: \`${op.action}\` (xem ma trận quyền).` : 'Không cần mã truy cập.',
      ]
        .filter(Boolean)
        .join('\n\n'),
      tags: [op.tag],
      parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(op.body) } } } }
        : {}),
      responses,
      ...(op.action ? {} : { security: [] }),
    };
    (paths[`/api/v1${path}`] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Theo dõi nhiệm vụ UBND tỉnh giao — API liên thông',
      version: '1.0.0',
      description:
        'API JSON cho các hệ thống kết nối (quản lý văn bản, báo cáo quốc gia…). Mỗi hệ thống kết nối do quản trị viên tạo, ' +
        'có phạm vi quyền như một vai trò (và một đơn vị với phạm vi cán bộ đầu mối), nhận mã truy cập gửi trong tiêu đề ' +
        '`Authorization: Bearer tnv_…`. Mọi lời gọi được ghi nhật ký. Ngày dạng YYYY-MM-DD theo giờ Việt Nam.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    tags: [
      { name: 'agencies', description: 'Đơn vị' },
      { name: 'documents', description: 'Văn bản chỉ đạo' },
      { name: 'tasks', description: 'Nhiệm vụ và diễn biến' },
      { name: 'files', description: 'Tệp đính kèm' },
      { name: 'stats', description: 'Số liệu' },
      { name: 'meta', description: 'Mô tả API' },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tnv_<id>.<secret>',
          description: 'Mã truy cập do quản trị viên cấp tại /admin/api-clients',
        },
      },
    },
  };
}

export function openApiRoutes(_deps: AppDeps) {
  const app = apiApp();
  let doc: JsonSchema | null = null;
  mount(app, openApiOp, (c) => {
    doc ??= buildOpenApi();
    c.header('Cache-Control', 'public, max-age=300');
    return doc as z.input<typeof openApiOp.response>;
  });
  return app;
}
