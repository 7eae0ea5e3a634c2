// Live traffic: an unrelated writer adds rows to the same table while doubletap runs against a correct
// service. A keyed probe reads the books for exactly the run's keys and passes; a global count(*)
// cannot be reconciled and must never pass: it fails and points to keyed probes.
import { expect } from 'chai';
import { silentLogger } from '../../../src/log';
import { runExperiment } from '../../../src/run/experiment';
import { parseScenario } from '../../../src/scenario/load';
import { tempRunDir } from '../run/e2e-helpers';
import { useBehaviours } from './behaviours';

function scenario(upstream: string, tag: string, dbUrl: string, keyed: boolean) {
  const probe = keyed
    ? { sql: `select count(*) from orders where tag = '${tag}' and key = any($1)`, url: dbUrl, keys: { rule: 'create' } }
    : { sql: `select count(*) from orders where tag = '${tag}'`, url: dbUrl };
  return parseScenario({
    version: 1, name: `keyed-${tag}`, seed: 11, duration: '2500ms', settle: '5s', timeline: { interval: '250ms' },
    http: { listen: '127.0.0.1:0', upstream, rules: [{ name: 'create', match: { method: 'POST', path: '/**' }, fraction: 1, faults: [{ kind: 'replay' }] }] },
    load: { http: [{ rule: 'create', url: `/correct/${tag}/orders`, rate: '40/s', total: 24, concurrency: 4, body: { sku: 'A-{{seq}}' }, retry: { attempts: 1 } }] },
    probes: { orders: probe },
    invariants: [{ probe: 'orders', grows_by: 'ops(create)' }],
  });
}

describe('keyed probes under an unrelated writer (PostgreSQL)', function () {
  this.timeout(120_000);
  const env = useBehaviours();

  async function runWithWriter(tag: string, keyed: boolean) {
    let written = 0;
    let chain: Promise<unknown> = Promise.resolve();
    // Another replica / job writing to the same table, with its own keys, all through the run (one
    // insert at a time: the helper's connection runs one query at once).
    const writer = setInterval(() => {
      written += 1;
      const key = `other-${written}`;
      chain = chain.then(() => env.db().query('insert into orders (tag, key, sku) values ($1, $2, $3)', [tag, key, 'X']));
    }, 50);
    try {
      return { ...(await runExperiment(scenario(env.svc().url, tag, env.db().url, keyed), { reportDir: tempRunDir(tag), logger: silentLogger(), pretty: false })), written };
    } finally {
      clearInterval(writer);
      await chain;
    }
  }

  it('a keyed probe counts only the run\'s keys: pass, exactly one row per operation', async () => {
    const { verdict, exitCode, written } = await runWithWriter('keyed', true);
    expect(written).to.be.greaterThan(20);
    expect(verdict.status, verdict.reason).to.equal('pass');
    expect(exitCode).to.equal(0);
    const ops = verdict.evidence!.create.ops;
    expect(verdict.probes.orders).to.deep.include({ before: 0, after: ops, delta: ops, keyed: { rule: 'create', of: 'ops', keys: ops } });
    expect(verdict.evidence!.create.outcomes.replayed).to.equal(verdict.evidence!.create.copies);
  });

  it('a global count(*) under the same writer never passes: inconclusive (still moving) or fail, pointing to keyed probes', async () => {
    const { verdict, exitCode } = await runWithWriter('global', false);
    // The writer never stops, so the count never settles: the books were not final.
    expect(verdict.status).to.equal('inconclusive');
    expect(exitCode).to.equal(4);
    expect(verdict.reason).to.match(/probe orders still moving.*use a keyed probe/);
  });
});
