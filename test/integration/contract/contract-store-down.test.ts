// Check 5 through a real link (src/links) in front of PostgreSQL, the shop's dedup store: the shop reaches
// its database only through the link; while the link refuses, the correct shop answers 500 and writes
// nothing, which is what fail-closed declares; a fail-open declaration fails on the same answer.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../helpers/prometheus';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { REPO_ROOT } from '../../helpers/cli';
import { startShop, type Shop } from '../../../examples/shop';
import { createApp } from '../../../examples/shop/app';
import { createPgDb, type ShopDb } from '../../../examples/shop/db';
import { createShopMetrics } from '../../../examples/shop/metrics';
import { silentLogger } from '../../../src/log';
import { runContractCommand } from '../../../src/commands/contract';
import { DEFAULT_FLAGS } from './flags';

describe('doubletap contract: store-down through a link (PostgreSQL)', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let direct: Shop;
  let linkedDb: ShopDb;
  let server: http.Server;
  let url: string;
  let port: number;
  before(async () => {
    db = await createTestPostgres();
    direct = await startShop({ databaseUrl: db.url }); // creates the schema directly
    port = await freePort();
    // The shop under test connects lazily, through the link the contract command starts.
    linkedDb = createPgDb(db.url.replace(':5432/', `:${port}/`));
    server = http.createServer(createApp({ db: linkedDb, metrics: createShopMetrics(), ttlMs: 86_400_000, racyGapMs: 5 }, silentLogger()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await linkedDb?.close();
    await direct?.close();
    await db?.drop();
  });

  const run = async (policy: string) => {
    let out = '';
    const flags = { ...DEFAULT_FLAGS, openapi: join(REPO_ROOT, 'examples', 'shop', 'openapi.yaml'), baseUrl: url, seed: '4', runId: `sd-${policy}`, storeLink: `127.0.0.1:${port}=127.0.0.1:5432`, onStoreDown: policy };
    const code = await runContractCommand(flags, (t) => (out += t), { ...process.env, DATABASE_URL: db.url });
    return { code, out };
  };

  it('fail-closed: 500 while the store is down, nothing written; every other check still passes', async () => {
    const r = await run('fail-closed');
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/store-down\s+PASS\s+answered 500 as fail-closed declares, nothing written/);
    expect(r.out).to.include('· probe orders: +0 during the outage');
    const rows = (await db.query(`SELECT count(*)::int AS n FROM orders WHERE idempotency_key = 'dt-sd-fail-closed-0-store-down'`)) as { n: number }[];
    expect(rows[0].n).to.equal(0);
  });

  it('fail-open declared: the same 500 is a failure', async () => {
    const r = await run('fail-open');
    expect(r.code).to.equal(1);
    expect(r.out).to.match(/store-down\s+FAIL\s+answered 500 with the store down; fail-open means 200 or 201 or 202 or 204/);
  });
});
