/**
 * Errors of the integration API, always JSON and never a stack trace:
 *   { "error": { "code": "validation", "message": "<Vietnamese>", "issues": [{ "path": "tasks.0.deadline", "message": "…" }] } }
 * Validation problems carry `issues` (one per field, paths joined with dots); everything else (DomainError,
 * HTTPException, 500) is answered by app.ts's onError in the same envelope without `issues`.
 */
import type { z } from 'zod';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';

export interface ApiIssue {
  path: string;
  message: string;
}

/** A refusal with a status, a stable code, a Vietnamese message and (for validation) the offending fields. */
export class ApiError extends Error {
  readonly status: 400 | 404 | 409 | 413 | 415 | 422;
  readonly code: string;
  readonly issues: ApiIssue[] | undefined;
  constructor(status: ApiError['status'], code: string, message: string, issues?: ApiIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export const VALIDATION_MESSAGE = 'Dữ liệu không hợp lệ; xem chi tiết từng trường trong "issues".';

const TYPE_NAMES: Record<string, string> = {
  string: 'chuỗi ký tự',
  number: 'số',
  int: 'số nguyên',
  boolean: 'true hoặc false',
  array: 'mảng',
  object: 'đối tượng',
  null: 'null',
};

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'mảng';
  return TYPE_NAMES[typeof input] ?? typeof input;
}

/**
 * Vietnamese messages for the zod issues our schemas can raise (zod's own `vi` locale is machine-like:
 * "Khóa không được nhận dạng"). Custom messages given in a schema win over these.
 */
export const viErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'Thiếu trường bắt buộc.';
      return `Sai kiểu dữ liệu: cần ${TYPE_NAMES[iss.expected] ?? iss.expected}, nhận được ${received(iss.input)}.`;
    case 'unrecognized_keys':
      return `Trường không được hỗ trợ: ${iss.keys.join(', ')}.`;
    case 'too_small':
      if (iss.origin === 'string')
        return Number(iss.minimum) <= 1 ? 'Không được để trống.' : `Cần ít nhất ${iss.minimum} ký tự.`;
      if (iss.origin === 'array') return `Cần ít nhất ${iss.minimum} phần tử.`;
      return `Giá trị phải từ ${iss.minimum} trở lên.`;
    case 'too_big':
      if (iss.origin === 'string') return `Tối đa ${iss.maximum} ký tự.`;
      if (iss.origin === 'array') return `Tối đa ${iss.maximum} phần tử.`;
      return `Giá trị không được vượt quá ${iss.maximum}.`;
    case 'invalid_format':
      if (iss.format === 'date') return 'Ngày không hợp lệ; dùng dạng YYYY-MM-DD (ví dụ 2026-06-30).';
      return 'Định dạng không hợp lệ.';
    case 'invalid_value':
      return `Giá trị không hợp lệ; chọn một trong: ${iss.values.map((v) => String(v)).join(', ')}.`;
    case 'invalid_union': {
      const d = (iss as { discriminator?: string; options?: unknown[] }).discriminator;
      const options = (iss as { options?: unknown[] }).options;
      if (d && options) return `Giá trị "${d}" không hợp lệ; chọn một trong: ${options.map(String).join(', ')}.`;
      return 'Dữ liệu không khớp với dạng nào được chấp nhận.';
    }
    case 'not_multiple_of':
      return 'Giá trị không hợp lệ.';
    default:
      return 'Giá trị không hợp lệ.';
  }
};

/** One issue per offending field; unknown keys are reported at their own path ("tasks.0.foo"). */
export function issuesOf(error: z.ZodError): ApiIssue[] {
  const out: ApiIssue[] = [];
  for (const iss of error.issues) {
    const base = iss.path.map(String);
    if (iss.code === 'unrecognized_keys') {
      for (const k of iss.keys) out.push({ path: [...base, k].join('.'), message: 'Trường không được hỗ trợ.' });
    } else {
      out.push({ path: base.join('.'), message: iss.message });
    }
  }
  return out.slice(0, 100);
}

/** Parses `input` with `schema` or throws ApiError(status, 'validation'). */
export function validate<S extends z.ZodType>(schema: S, input: unknown, status: 400 | 422): z.output<S> {
  const r = schema.safeParse(input, { error: viErrorMap });
  if (!r.success) throw new ApiError(status, 'validation', VALIDATION_MESSAGE, issuesOf(r.error));
  return r.data;
}

/** The request body as JSON (content type, size and origin are checked earlier by app.ts). Malformed → 400. */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new ApiError(400, 'malformed_json', 'Thiếu nội dung JSON trong yêu cầu.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'malformed_json', 'Nội dung gửi lên không phải JSON hợp lệ.');
  }
}

/** The JSON answer for an ApiError. */
export function apiErrorResponse(c: Context<AppEnv>, err: ApiError): Response {
  const error: { code: string; message: string; issues?: ApiIssue[] } = { code: err.code, message: err.message };
  if (err.issues) error.issues = err.issues;
  return c.json({ error }, err.status);
}

export function notFound(message: string): ApiError {
  return new ApiError(404, 'not_found', message);
}
