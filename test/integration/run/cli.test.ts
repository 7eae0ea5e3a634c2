// `doubletap run` as a child process (the CLI users and CI run): the database stopped mid-window ends
// inconclusive (exit 4), and POST /halt on the control API ends the run aborted (exit 3).
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startShop, type Shop } from '../../../examples/shop';
import { runCli } from '../../helpers/cli';
import { createTestPostgres } from '../../helpers/databases';
import { freePort } from '../../helpers/prometheus';
import { fixture, tempRunDir } from './e2e-helpers';
import { startPgCluster, type PgCluster } from './pg-cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The chaos window has begun once the sampler opened timeline.jsonl (after the "before" snapshot). */
async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} did not appear within ${timeoutMs}ms`);
    await sleep(100);
  }
}

const verdictOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8'));

describe('doubletap run (CLI, e2e)', function () {
  this.timeout(60_000);

  describe('the database stopped mid-run', () => {
    let cluster: PgCluster;
    let shop: Shop;
    before(async () => {
      cluster = await startPgCluster();
      shop = await startShop({ port: 0, databaseUrl: cluster.url });
    });
    after(async () => {
      await shop?.close();
      cluster?.destroy();
    });

    it('ends inconclusive with exit 4, verdict.json and index.html written', async () => {
      const dir = tempRunDir('db-stopped');
      const child = runCli(['run', fixture('cli-db-stopped.yaml'), '--report-dir', dir], {
        env: { SHOP_URL: shop.url, SHOP_DATABASE_URL: cluster.url, DOUBLETAP_LOG_LEVEL: 'warn' }, timeoutMs: 45_000,
      });
      await waitForFile(join(dir, 'timeline.jsonl'), 20_000);
      await sleep(2000); // the middle of the 4 s window
      cluster.stop();
      const r = await child;
      expect(r.code, r.stderr).to.equal(4);
      const v = verdictOf(dir);
      expect(v.status).to.equal('inconclusive');
      expect(v.reason).to.match(/probe orders could not be read/);
      expect(v.probes.orders.before).to.be.a('number');
      expect(v.probes.orders.after).to.equal(null);
      expect(v.http.originals).to.be.greaterThan(10);
      expect(existsSync(join(dir, 'index.html'))).to.equal(true);
      expect(r.stdout).to.match(/verdict inconclusive/);
    });
  });

  describe('halt through the control API', () => {
    it('ends aborted with exit 3 well before the 20 s window is over', async () => {
      const db = await createTestPostgres();
      const shop = await startShop({ port: 0, databaseUrl: db.url });
      try {
        const port = await freePort();
        const dir = tempRunDir('halt');
        const started = Date.now();
        const child = runCli(['run', fixture('cli-halt.yaml'), '--report-dir', dir], {
          env: { SHOP_URL: shop.url, SHOP_DATABASE_URL: db.url, CONTROL_LISTEN: `127.0.0.1:${port}`, DOUBLETAP_LOG_LEVEL: 'info' },
          timeoutMs: 45_000,
        });
        await waitForFile(join(dir, 'timeline.jsonl'), 20_000);
        await sleep(1500);
        const res = await fetch(`http://127.0.0.1:${port}/halt`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'e2e test' }),
        });
        expect(res.status).to.equal(200);
        const r = await child;
        expect(r.code, r.stderr).to.equal(3);
        expect(Date.now() - started).to.be.lessThan(18_000);
        // The run logged its control URL (JSON on stderr), the one we halted.
        expect(r.stderr).to.include(`"control":"http://127.0.0.1:${port}"`);
        const v = verdictOf(dir);
        expect(v.status).to.equal('aborted');
        expect(v.reason).to.match(/e2e test/);
        expect(v.http.originals).to.be.greaterThan(10);
        expect(existsSync(join(dir, 'index.html'))).to.equal(true);
      } finally {
        await shop.close();
        await db.drop();
      }
    });
  });
});
