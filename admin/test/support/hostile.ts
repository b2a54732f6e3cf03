/**
 * Generators of hostile requests for admin/test/hostile-routes.test.ts: a seeded PRNG (so a failure is replayed
 * with HOSTILE_SEED) and builders for broken multipart, missing boundaries, truncated and mistyped bodies,
 * overlong / control-character / odd Unicode values, bad dates, huge numbers, duplicate and array fields, bad JSON.
 * Tests only.
 */

/** mulberry32: small, fast, good enough to pick test cases deterministically. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof prng>;

/** Field names the admin forms read (from the route files), plus names no form has. */
export const FIELD_NAMES = [
  'add_task',
  'address',
  'agency_id',
  'as_of',
  'back',
  'code',
  'confidential',
  'confirm',
  'content',
  'coordinators',
  'current',
  'deadline',
  'display_name',
  'dissolve_on',
  'doc_type',
  'email',
  'file',
  'files',
  'issued_on',
  'kind',
  'leader',
  'logo',
  'name',
  'next',
  'no_deadline',
  'no_deadline_reason',
  'note',
  'number',
  'office',
  'on',
  'password',
  'period',
  'phone',
  'province',
  'reason',
  'rebuild',
  'receiver_id',
  'remove_logo',
  'role',
  'sector',
  'signer',
  'starred',
  'successor_id',
  'summary',
  'task_count',
  'title',
  'to_agency',
  'token',
  'username',
  'website',
  'label',
  'new_deadline',
  'tasks[0][title]',
  'title_0',
  'deadline_1',
  '__proto__',
  'constructor',
  'toString',
  'x'.repeat(5000),
  'tên trường',
  'a\u0000b',
  '',
] as const;

/** Values that break naive code: overlong, control characters, odd Unicode, bad dates, huge numbers, injections. */
export function hostileValue(r: Rng): string {
  const values: Array<() => string> = [
    () => '',
    () => ' ',
    () => 'x'.repeat(r.pick([101, 501, 5_001, 60_000])),
    () => '\u0000\u0001\u0007\u001b[31m\u007f',
    () => '\r\n\r\n--boundary\r\n',
    () => '\u202eRTL\u202c \ufeffBOM \u200b',
    () => '\ud800 lone surrogate \udfff',
    () => '💩'.repeat(r.int(300) + 1),
    () => 'Sở Tài chính'.normalize('NFD'),
    () => 'Đ'.repeat(200),
    () =>
      r.pick(['2026-02-30', '2026-13-01', '0000-00-00', '99999-01-01', '2026-1-1', '30/02/2026', '2026-02-28T25:00']),
    () => r.pick(['-1', '0', '1e309', '99999999999999999999999', '9007199254740993', 'NaN', 'Infinity', '0x10', '1.5']),
    () => r.pick(['-0', '+1', ' 1', '1 ', '١٢٣', '1,000', '1_000']),
    () => r.pick(['on', 'true', 'false', 'null', 'undefined', '[object Object]', '{}', '[]']),
    () => r.pick(["' OR 1=1 --", '"; DROP TABLE tasks; --', '<script>alert(1)</script>', '{{7*7}}', '\u0024{7*7}']),
    () => r.pick(['=HYPERLINK("http://x")', '+cmd|x', '@SUM(1)', '-2+3']),
    () => r.pick(['../../etc/passwd', '..\\..\\windows', '/admin//evil', 'https://evil.example', '//evil.example']),
    () => r.pick(['NV-2026-00001', 'NV-9999-99999', 'STC', 'SYT', 'admin', 'quantri', 'lanhdao']),
    () => r.pick(['agency', 'specialist', 'confirmer', 'leader', 'admin', 'root', 'ADMIN']),
    () => String(r.int(10)),
  ];
  return r.pick(values)();
}

function fieldName(r: Rng): string {
  const name = r.pick(FIELD_NAMES);
  return r.chance(0.1) ? `${name}[]` : name;
}

function fields(r: Rng): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const n = r.int(8);
  for (let i = 0; i < n; i++) {
    const name = fieldName(r);
    out.push([name, hostileValue(r)]);
    if (r.chance(0.2)) out.push([name, hostileValue(r)]); // a repeated field: an array where a scalar is expected
  }
  return out;
}

export interface HostileBody {
  kind: string;
  contentType: string | null;
  body: string | Uint8Array | null;
  /** the body cannot be parsed: a route that reads it must refuse it */
  malformed: boolean;
}

function multipart(r: Rng, boundary: string): string {
  const parts: string[] = [];
  for (const [name, value] of fields(r)) {
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  if (r.chance(0.5)) {
    const filename = r.pick(['bao-cao.pdf', '../../evil.sh', 'a.docx', 'x.exe', 'tệp.xlsx', '', 'a"b.pdf', 'nhap.csv']);
    const type = r.pick(['application/pdf', 'application/octet-stream', 'text/html', 'application/x-msdownload']);
    const content = r.pick([
      '%PDF-1.4\n junk',
      'MZ\u0090\u0000',
      'PK\u0003\u0004junk',
      '\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1WordDocument',
      'ma,ten\n=1+1,x',
      '',
      'x'.repeat(10_000),
    ]);
    const name = r.pick(['file', 'files', 'logo', 'x']);
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n`,
    );
  }
  if (r.chance(0.1)) parts.push(`--${boundary}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n`);
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** A hostile body for an HTML form route. */
export function formBody(r: Rng): HostileBody {
  const boundary = `----hostile${r.int(1e9)}`;
  switch (r.int(9)) {
    case 0: // well-formed urlencoded with hostile fields
      return {
        kind: 'urlencoded',
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams(fields(r)).toString(),
        malformed: false,
      };
    case 1: // malformed percent-encoding and separators
      return {
        kind: 'urlencoded-raw',
        contentType: 'application/x-www-form-urlencoded',
        body: r.pick([
          '%',
          '%zz=%E0%A4%A',
          '&&&===&',
          'a=%00&b=%ff%fe',
          '=',
          'title=%C0%AF',
          `${'k'.repeat(200_000)}=v`,
        ]),
        malformed: false,
      };
    case 2: // a declared charset the server does not speak, with bytes that are not UTF-8
      return {
        kind: 'urlencoded-charset',
        contentType: `application/x-www-form-urlencoded; charset=${r.pick(['iso-8859-1', 'utf-16', 'x-unknown', '"><b>'])}`,
        body: new Uint8Array([0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0xff, 0xfe, 0xe0, 0x80, 0x26, 0x6e, 0x3d, 0xc3]),
        malformed: false,
      };
    case 3: // well-formed multipart (hostile fields, maybe a hostile file)
      return {
        kind: 'multipart',
        contentType: `multipart/form-data; boundary=${boundary}`,
        body: multipart(r, boundary),
        malformed: false,
      };
    case 4: {
      // multipart cut short: no closing boundary
      const full = multipart(r, boundary);
      return {
        kind: 'multipart-truncated',
        contentType: `multipart/form-data; boundary=${boundary}`,
        body: full.slice(0, Math.max(1, r.int(full.length - boundary.length - 6))),
        malformed: true,
      };
    }
    case 5: // multipart without a usable boundary
      return {
        kind: 'multipart-no-boundary',
        contentType: r.pick([
          'multipart/form-data',
          'multipart/form-data; boundary=',
          'multipart/form-data; boundary="unclosed',
          `multipart/form-data; boundary=other${boundary}`,
          `multipart/form-data; boundary=${'b'.repeat(300)}`,
        ]),
        body: multipart(r, boundary),
        malformed: true,
      };
    case 6: // a JSON body or other types on a form route
      return {
        kind: 'wrong-type',
        contentType: r.pick(['application/json', 'text/plain', 'application/xml', 'text/html', 'multipart/mixed']),
        body: JSON.stringify(Object.fromEntries(fields(r))),
        malformed: true,
      };
    case 7: // no content type, or a form type with a JSON body
      return r.chance(0.5)
        ? { kind: 'no-type', contentType: null, body: 'title=x', malformed: true }
        : {
            kind: 'urlencoded-json',
            contentType: 'application/x-www-form-urlencoded',
            body: '{"title": ["a", {"b": 1}]}',
            malformed: false,
          };
    default: // empty body
      return {
        kind: 'empty',
        contentType: r.pick(['application/x-www-form-urlencoded', `multipart/form-data; boundary=${boundary}`]),
        body: '',
        malformed: false,
      };
  }
}

function jsonValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 4 : 7)) {
    case 0:
      return hostileValue(r);
    case 1:
      return r.pick([0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1.5, 2 ** 31]);
    case 2:
      return r.pick([null, true, false]);
    case 3:
      return r.pick([
        '2026-02-30',
        '2026-06-30',
        'STC',
        'received',
        'progress',
        'extension_requested',
        'NV-2026-00001',
      ]);
    case 4:
      return Array.from({ length: r.int(4) }, () => jsonValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const keys = [
        'kind',
        'title',
        'content',
        'deadline',
        'leadAgency',
        'note',
        'number',
        'tasks',
        'files',
        'newDeadline',
      ];
      for (let i = r.int(5); i > 0; i--) o[r.chance(0.8) ? r.pick(keys) : hostileValue(r)] = jsonValue(r, depth + 1);
      return o;
    }
  }
}

/** A hostile body for a JSON API route. */
export function jsonBody(r: Rng): HostileBody {
  const json = 'application/json';
  switch (r.int(7)) {
    case 0:
      return { kind: 'json-value', contentType: json, body: JSON.stringify(jsonValue(r)), malformed: false };
    case 1: {
      const text = JSON.stringify(jsonValue(r, 0)) ?? '{}';
      return { kind: 'json-truncated', contentType: json, body: text.slice(0, r.int(text.length)), malformed: true };
    }
    case 2:
      return {
        kind: 'json-raw',
        contentType: json,
        body: r.pick([
          '{',
          '[',
          'nul',
          '{"a":}',
          "{'a':1}",
          '{"kind":"received","kind":"progress"}',
          '{"__proto__":{"admin":true},"kind":"received"}',
          '[]'.repeat(3),
          '['.repeat(50_000),
          '1e400',
          '"\\ud800"',
          '\ufeff{"kind":"received"}',
          '   ',
        ]),
        malformed: true,
      };
    case 3:
      return {
        kind: 'json-bytes',
        contentType: r.pick([json, 'application/json; charset=utf-16', 'application/json; charset=latin1']),
        body: new Uint8Array([0x7b, 0x22, 0x6b, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
        malformed: false,
      };
    case 4:
      return {
        kind: 'json-wrong-type',
        contentType: r.pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/jsonx',
        ]),
        body: '{"kind":"received"}',
        malformed: true,
      };
    case 5:
      return { kind: 'json-no-type', contentType: null, body: '{"kind":"received"}', malformed: true };
    default:
      return { kind: 'json-empty', contentType: json, body: '', malformed: true };
  }
}

/** A hostile query string (without '?'). */
export function hostileQuery(r: Rng): string {
  if (r.chance(0.15))
    return r.pick(['%', '%E0%A4%A', 'a=%00', '&&=&', 'page[]=1&page[]=2', `q=${'%F0%9F%92%A9'.repeat(500)}`]);
  const keys = [
    'q',
    'agency',
    'status',
    'asOf',
    'as_of',
    'page',
    'pageSize',
    'sort',
    'dir',
    'from',
    'to',
    'period',
    'msg',
  ];
  const p = new URLSearchParams();
  for (let i = r.int(4); i > 0; i--)
    p.append(r.chance(0.85) ? r.pick(keys) : hostileValue(r).slice(0, 50), hostileValue(r).slice(0, 2000));
  return p.toString();
}

/** Garbage for a path segment that still matches the route's pattern, or does not at all. */
export function garbageSegment(r: Rng, pattern: string | undefined): string {
  if (pattern === '[0-9]+') return r.pick(['0', '00', '007', '2147483648', '9007199254740993', '9'.repeat(40)]);
  if (pattern?.startsWith('NV-')) return r.pick(['NV-2026-99999', 'NV-0-0', `NV-${'9'.repeat(25)}-00001`, 'NV-2026-1']);
  if (pattern === '[a-z2-7]+') return r.pick(['a', 'z'.repeat(300), 'aaaaaaaaaaaaaaaa']);
  return encodeURIComponent(
    r.pick(['x', '-1', '1.5', '1e3', ' 1', 'Sở Tài chính', "' OR 1=1", '..', '\u0000', 'a'.repeat(3000), '💩', '%']),
  );
}
