import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv, siteUrlFromEnv } from './env.ts';

describe('SITE_URL, the public origin of every absolute URL of the site', () => {
  it('is required in production, an https origin without a path', () => {
    const prod = { NODE_ENV: 'production', ORIGIN: 'https://quantri.tinh.gov.vn' };
    expect(() => loadEnv(prod)).toThrow(/Thiếu SITE_URL/);
    expect(loadEnv({ ...prod, SITE_URL: 'https://nhiemvu.tinh.gov.vn' }).siteUrl).toBe('https://nhiemvu.tinh.gov.vn');
    expect(loadEnv({ ...prod, SITE_URL: 'https://nhiemvu.tinh.gov.vn/' }).siteUrl).toBe('https://nhiemvu.tinh.gov.vn');
    for (const [bad, message] of [
      ['http://nhiemvu.tinh.gov.vn', /phải dùng https/],
      ['nhiemvu.tinh.gov.vn', /địa chỉ tuyệt đối/],
      ['/nhiem-vu/', /địa chỉ tuyệt đối/],
      ['https://nhiemvu.tinh.gov.vn/nhiem-vu/', /không có đường dẫn/],
      ['https://nhiemvu.tinh.gov.vn/?a=1', /không có đường dẫn/],
      ['https://user:pass@nhiemvu.tinh.gov.vn', /không có đường dẫn/],
      ['ftp://nhiemvu.tinh.gov.vn', /phải dùng https/],
      ['javascript:alert(1)', /phải dùng https|không có đường dẫn/],
    ] as const)
      expect(() => loadEnv({ ...prod, SITE_URL: bad }), bad).toThrow(message);
  });
  it('outside production defaults to the served origin (the demo serves its own site) and allows http on loopback', () => {
    expect(loadEnv({}).siteUrl).toBe('http://localhost:3000');
    expect(loadEnv({ PORT: '4100' }).siteUrl).toBe('http://localhost:4100');
    expect(loadEnv({ SITE_URL: 'http://127.0.0.1:8080' }).siteUrl).toBe('http://127.0.0.1:8080');
    expect(() => loadEnv({ SITE_URL: 'http://nhiemvu.tinh.gov.vn' })).toThrow(/localhost/);
    expect(siteUrlFromEnv({ ORIGIN: 'http://localhost:3999' })).toBe('http://localhost:3999');
    expect(() => siteUrlFromEnv({ NODE_ENV: 'production' })).toThrow(EnvError);
  });
});

describe('loadEnv', () => {
  it('defaults to plain-HTTP localhost for development with the cookie "session"', () => {
    const e = loadEnv({});
    expect(e).toMatchObject({
      production: false,
      port: 3000,
      origin: 'http://localhost:3000',
      secure: false,
      sessionCookieName: 'session',
      databasePath: 'data/app.db',
    });
  });
  it('refuses to start in production without an https ORIGIN', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(EnvError);
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/Thiếu ORIGIN/);
    expect(() => loadEnv({ NODE_ENV: 'production', ORIGIN: 'http://nhiemvu.tinh.gov.vn' })).toThrow(/https/);
    const e = loadEnv({
      NODE_ENV: 'production',
      ORIGIN: 'https://nhiemvu.tinh.gov.vn',
      SITE_URL: 'https://nhiemvu.tinh.gov.vn',
      TRUSTED_PROXY: '127.0.0.1, 10.0.0.2',
    });
    expect(e).toMatchObject({
      secure: true,
      sessionCookieName: '__Host-session',
      trustedProxies: ['127.0.0.1', '10.0.0.2'],
    });
  });
  it('allows plain HTTP only on loopback and refuses malformed settings', () => {
    expect(() => loadEnv({ ORIGIN: 'http://192.168.1.10:3000' })).toThrow(/localhost/);
    expect(() => loadEnv({ ORIGIN: 'https://x.vn/admin' })).toThrow(/không có đường dẫn/);
    expect(() => loadEnv({ ORIGIN: 'không phải url' })).toThrow(/địa chỉ hợp lệ/);
    expect(() => loadEnv({ PORT: 'abc' })).toThrow(/PORT: phải là một số/);
    expect(() => loadEnv({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('runs one server process unless ADMIN_PROCESSES says otherwise; refuses nonsense', () => {
    expect(loadEnv({ DATABASE_PATH: 'data/app.db' }).processes).toBe(1);
    expect(loadEnv({ DATABASE_PATH: 'data/app.db', ADMIN_PROCESSES: '1' }).processes).toBe(1);
    expect(loadEnv({ DATABASE_PATH: 'data/app.db', ADMIN_PROCESSES: '3' }).processes).toBe(3);
    // an in-memory database cannot be shared between processes
    expect(loadEnv({ DATABASE_PATH: ':memory:', ADMIN_PROCESSES: '3' }).processes).toBe(1);
    for (const bad of ['0', '17', 'hai', '1.5', '-2'])
      expect(() => loadEnv({ ADMIN_PROCESSES: bad }), bad).toThrow(/ADMIN_PROCESSES: (phải là|ít nhất|nhiều nhất)/);
  });
});
