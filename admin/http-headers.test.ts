import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { setAfterHandler } from './app.ts';
import type { AppEnv } from './context.ts';

describe('a header set after the handler', () => {
  it("changes the handler's response in place (c.header() would re-create it, copying the body)", async () => {
    let made: Response | null = null;
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      await next();
      setAfterHandler(c, 'Cache-Control', 'no-store');
    });
    app.get('/page', (c) => {
      made = c.body(Buffer.from('<p>Trang</p>'), 200, { 'Content-Type': 'text/html; charset=UTF-8' });
      return made;
    });
    const res = await app.request('/page');
    expect(res).toBe(made);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('<p>Trang</p>');
  });

  it('falls back to c.header() on a response whose headers cannot change', async () => {
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      await next();
      setAfterHandler(c, 'Cache-Control', 'no-store');
    });
    app.get('/away', () => Response.redirect('http://localhost/elsewhere', 302));
    const res = await app.request('/away');
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
