// `doubletap run` with a mysql:// sql probe: a tiny MariaDB-backed target (the shop speaks PostgreSQL
// only). naive inserts a row per request; correct uses INSERT IGNORE on a unique key and replays.
import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { createTestMariaDb, type TestDatabase } from '../../helpers/databases';
import { journalCounts, readJournalLines, runFixture } from './e2e-helpers';

function startTarget(pool: Pool): Promise<Server> {
  const app = express();
  app.use(express.json());
  app.post('/naive/orders', async (req, res) => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO orders_naive (k, sku) VALUES (?, ?)', [req.get('idempotency-key'), req.body.sku]);
    res.status(201).json({ id: r.insertId, sku: req.body.sku });
  });
  app.post('/correct/orders', async (req, res) => {
    const key = req.get('idempotency-key');
    if (!key) return void res.status(400).json({ error: 'idempotency_key_missing' });
    const [r] = await pool.query<ResultSetHeader>('INSERT IGNORE INTO orders_correct (k, sku) VALUES (?, ?)', [key, req.body.sku]);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id, sku FROM orders_correct WHERE k = ?', [key]);
    if (r.affectedRows === 0) res.set('Idempotent-Replayed', 'true');
    res.status(201).json({ id: rows[0]!.id, sku: rows[0]!.sku });
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('doubletap run: a MariaDB target with a mysql:// probe (e2e)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let pool: Pool;
  let server: Server;
  let url: string;

  before(async () => {
    db = await createTestMariaDb();
    await db.query('CREATE TABLE orders_naive (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(100), sku VARCHAR(100))');
    await db.query('CREATE TABLE orders_correct (id INT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(100) NOT NULL UNIQUE, sku VARCHAR(100))');
    pool = createPool({ uri: db.url, connectionLimit: 8 });
    server = await startTarget(pool);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await pool?.end();
    await db?.drop();
  });

  it('passes the correct target (INSERT IGNORE on the key)', async () => {
    const r = await runFixture('mariadb.yaml', { TARGET_URL: url, MARIADB_URL: db.url, VARIANT: 'correct', SEED: '51' });
    const j = journalCounts(readJournalLines(r.runDir));
    expect(r.verdict.status, r.verdict.reason).to.equal('pass');
    expect(r.exitCode).to.equal(0);
    expect(r.verdict.probes.orders!.delta).to.equal(j.ops);
    expect(j.by('replayed')).to.equal(j.copies);
    expect(j.copies).to.be.greaterThan(5);
  });

  it('fails the naive target with the exact extra rows', async () => {
    const r = await runFixture('mariadb.yaml', { TARGET_URL: url, MARIADB_URL: db.url, VARIANT: 'naive', SEED: '52' });
    const j = journalCounts(readJournalLines(r.runDir));
    const [row] = (await db.query('SELECT COUNT(*) AS n FROM orders_naive')) as Array<{ n: number }>;
    expect(r.verdict.status).to.equal('fail');
    expect(r.exitCode).to.equal(1);
    expect(Number(row!.n)).to.equal(j.originals2xx + j.by('re-executed'));
    expect(r.verdict.probes.orders!.delta).to.equal(j.originals2xx + j.by('re-executed'));
    const inv = r.verdict.invariants[0]!;
    expect([inv.ok, inv.expected, inv.actual]).to.deep.equal([false, j.ops, j.originals2xx + j.by('re-executed')]);
    expect(j.by('re-executed')).to.be.greaterThan(0);
  });
});
