// sql probe against the real local PostgreSQL and MariaDB (fresh database per run, dropped after).
import { expect } from 'chai';
import { ProbeError } from '../../../src/errors';
import { createProbe, type Probe } from '../../../src/probes';
import { createMysqlRunner } from '../../../src/probes/sql-mysql';
import { createPostgresRunner } from '../../../src/probes/sql-postgres';
import { createTestMariaDb, createTestPostgres, type TestDatabase } from '../../helpers/databases';

const spec = (sql: string, timeout = 2000) => ({ sql, url: 'env:DATABASE_URL', timeout });

async function expectProbeError(p: Promise<unknown>, pattern: RegExp): Promise<ProbeError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ProbeError);
    expect((err as Error).message).to.match(pattern);
    return err as ProbeError;
  }
  throw new Error(`expected a ProbeError matching ${pattern}`);
}

const engines: Array<{ name: string; create: () => Promise<TestDatabase>; sleep: string; write: string; keyed: string }> = [
  { name: 'PostgreSQL', create: createTestPostgres, sleep: 'select pg_sleep(5)', write: 'with d as (delete from orders returning 1) select count(*) from d',
    keyed: 'select count(*) from orders where id::text = any($1)' },
  { name: 'MariaDB', create: createTestMariaDb, sleep: 'select sleep(5)', write: 'insert into orders (amount) values (1)',
    keyed: 'select count(*) from orders where cast(id as char) in (?)' },
];

for (const engine of engines) {
  describe(`probes/sql on ${engine.name}`, function () {
    this.timeout(20_000);
    let db: TestDatabase;
    const open: Probe[] = [];
    const probe = (sql: string, timeout?: number, url?: string) => {
      const p = createProbe('orders', spec(sql, timeout), { DATABASE_URL: url ?? db.url });
      open.push(p);
      return p;
    };

    before(async () => {
      db = await engine.create();
      await db.query('create table orders (id int primary key, amount bigint)');
      for (let i = 1; i <= 57; i++) await db.query(`insert into orders (id, amount) values (${i}, ${i * 100})`);
    });
    after(async () => {
      await Promise.all(open.map((p) => p.close()));
      await db?.drop();
    });

    it('reads count and sum (bigint/numeric strings converted)', async () => {
      expect(await probe('select count(*) from orders').read()).to.equal(57);
      // sum(1..57) * 100
      expect(await probe('select sum(amount) from orders').read()).to.equal(165300);
      const p = probe('select count(*) from orders');
      await db.query('insert into orders (id, amount) values (1000, 1)');
      expect(await p.read()).to.equal(58);
      await db.query('delete from orders where id = 1000');
      expect(await p.read()).to.equal(57);
    });

    it('keyed: binds exactly the given keys (quotes and all), 0 for none, and refuses a read without keys', async () => {
      const p = createProbe('orders', { ...spec(engine.keyed), keys: { rule: 'create', of: 'ops' } }, { DATABASE_URL: db.url });
      open.push(p);
      expect(await p.read(['1', '2', '57', '999', "x'); drop table orders; --"])).to.equal(3);
      expect(await p.read([])).to.equal(0);
      await expectProbeError(p.read(), /keyed probe is read with the run's keys/);
      expect(await probe('select count(*) from orders').read()).to.equal(57);
    });

    it('NULL sum is an error that says to coalesce; coalesce reads 0', async () => {
      await expectProbeError(probe('select sum(amount) from orders where id < 0').read(), /returned NULL .*coalesce/);
      expect(await probe('select coalesce(sum(amount), 0) from orders where id < 0').read()).to.equal(0);
    });

    it('wrong shapes are errors', async () => {
      await expectProbeError(probe('select id from orders').read(), /57 rows .* expected exactly 1/);
      await expectProbeError(probe('select 1, 2').read(), /2 columns/);
      await expectProbeError(probe("select 'abc'").read(), /the string "abc" .*not a number/);
    });

    it('refuses writes: a read-only transaction (and a read-keyword guard)', async () => {
      await expectProbeError(probe(engine.write).read(), /read-only|READ ONLY|only read queries/i);
      await expectProbeError(probe('delete from orders').read(), /only read queries are allowed \(the query starts with delete\)/);
      const [row] = (await db.query('select count(*) as n from orders')) as Array<{ n: unknown }>;
      expect(Number(row!.n)).to.equal(57);
    });

    it('a statement longer than the timeout fails within about the timeout', async () => {
      const started = Date.now();
      await expectProbeError(probe(engine.sleep, 500).read(), /cannot read from/);
      const took = Date.now() - started;
      expect(took).to.be.lessThan(2500);
      // The same probe reads again (the killed connection was dropped, the pool is not stuck).
      const again = Date.now();
      const p = probe(engine.sleep, 500);
      await expectProbeError(p.read(), /cannot read from/);
      await expectProbeError(p.read(), /cannot read from/);
      expect(Date.now() - again).to.be.lessThan(4000);
    });

    it('the transaction itself is read-only (below the keyword guard)', async () => {
      const u = new URL(db.url);
      const runner = engine.name === 'PostgreSQL' ? createPostgresRunner(db.url, 2000) : createMysqlRunner(u, 2000);
      try {
        let message = '';
        await runner.firstRow('insert into orders (id, amount) values (999, 1)', 2000).catch((e: Error) => (message = e.message));
        expect(message).to.match(/read-only|READ ONLY/i);
        expect((await runner.firstRow('select count(*) from orders', 2000)).values.map(Number)).to.deep.equal([57]);
      } finally {
        await runner.close();
      }
    });

    it('unreachable host: ProbeError names host:port/db, never the password', async () => {
      const scheme = engine.name === 'PostgreSQL' ? 'postgres' : 'mysql';
      const url = `${scheme}://admin:Sup3rS3cret@127.0.0.1:1/shop`;
      const err = await expectProbeError(probe('select 1', 1000, url).read(), /127\.0\.0\.1:1\/shop/);
      expect(err.message).to.not.include('Sup3rS3cret');
      expect(err.message).to.not.include('admin:');
      if (process.env.SHOW_MESSAGES) console.log(err.message);
    });

    it('wrong password on the real server: no secret in the message', async () => {
      const u = new URL(db.url);
      u.username = 'nosuchuser';
      u.password = 'Pa55word!x';
      const err = await expectProbeError(probe('select 1', 2000, u.href).read(), /cannot read from/);
      expect(err.message).to.not.include('Pa55word');
      if (process.env.SHOW_MESSAGES) console.log(err.message);
    });
  });
}
