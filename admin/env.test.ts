import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env.ts';

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
    expect(() => loadEnv({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadEnv({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });
});
