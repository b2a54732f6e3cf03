/**
 * 50 connections for 10 s on the dashboard of a signed-in Office specialist (the whole province) against the real
 * server on a loopback port: every answer is a 200 and no request errors or times out. Throughput is printed, not
 * asserted (the benchmark, npm run bench, measures speed on the ten-year dataset).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { DB } from '../../db/open.ts';
import { startBenchServer, type BenchServer } from '../../../scripts/bench/server.ts';
import { say, seedDatabase, tempDir } from './support.ts';

const NAME = 'tải trang tổng quan';
const CONNECTIONS = 50;
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 10);

let dir: string;
let db: DB;
let server: BenchServer;

beforeAll(async () => {
  dir = tempDir('load');
  const dbPath = join(dir, 'app.db');
  db = seedDatabase(dbPath);
  server = await startBenchServer({ db, dbPath, tmpDir: dir }, 'reliability');
}, 120_000);

afterAll(async () => {
  await server?.stop();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

it(`${CONNECTIONS} kết nối trong ${SECONDS} s vào trang tổng quan: 0 lỗi`, async () => {
  const first = await fetch(`${server.url}/admin`, { headers: { cookie: server.cookie } });
  expect(first.status).toBe(200);
  expect(await first.text()).toContain('Tổng quan');
  say(NAME, `${CONNECTIONS} kết nối, ${SECONDS} s, ${server.url}/admin …`);
  const r = await autocannon({
    url: `${server.url}/admin`,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 10,
    headers: { cookie: server.cookie },
  });
  const total = r.requests.total;
  say(
    NAME,
    `TỔNG KẾT: ${total} yêu cầu, ${r['2xx']} trả 200, ${r.non2xx} khác 2xx, ${r.errors} lỗi, ${r.timeouts} quá hạn; ` +
      `${r.requests.average.toFixed(0)} yêu cầu/s, p99 ${r.latency.p99} ms`,
  );
  expect(total).toBeGreaterThan(0);
  expect({ non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts }).toEqual({ non2xx: 0, errors: 0, timeouts: 0 });
  expect(r['2xx']).toBe(total);
});
