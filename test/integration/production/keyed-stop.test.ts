// A keyed probe as a stop condition: the books for the keys the run has counted so far must stay at
// perKey × keys. A service that executes duplicates grows a second row for a key while the window is
// still open, and the run stops itself (aborted, exit 3) long before the window ends; a correct
// service under the same condition runs its whole window and passes.
import { expect } from 'chai';
import { silentLogger } from '../../../src/log';
import { runExperiment } from '../../../src/run/experiment';
import { parseScenario } from '../../../src/scenario/load';
import { tempRunDir } from '../run/e2e-helpers';
import { useBehaviours } from '../verdict/behaviours';

const WINDOW_MS = 20_000;

function scenario(upstream: string, behaviour: string, tag: string, dbUrl: string) {
  return parseScenario({
    version: 1, name: `keyed-stop-${tag}`, seed: 5, duration: `${WINDOW_MS}ms`, settle: '5s', timeline: { interval: '250ms' },
    http: { listen: '127.0.0.1:0', upstream, rules: [{ name: 'create', match: { method: 'POST', path: '/**' }, fraction: 0.5, faults: [{ kind: 'replay' }] }] },
    load: { http: [{ rule: 'create', url: `/${behaviour}/${tag}/orders`, rate: '20/s', concurrency: 2, body: { sku: 'A-{{seq}}' }, retry: { attempts: 1 } }] },
    probes: { orders: { sql: `select count(*) from orders where tag = '${tag}' and key = any($1)`, url: dbUrl, keys: { rule: 'create' } } },
    invariants: [{ probe: 'orders', grows_by: 'ops(create)' }],
    gate: { stop: { interval: '500ms', conditions: [{ name: 'leak', probe: 'orders', perKey: 1 }] } },
  });
}

describe('stop condition on a keyed probe (real proxy, real service, PostgreSQL)', function () {
  this.timeout(120_000);
  const env = useBehaviours();

  async function run(behaviour: string, tag: string) {
    const started = Date.now();
    const r = await runExperiment(scenario(env.svc().url, behaviour, tag, env.db().url), { reportDir: tempRunDir(tag), logger: silentLogger(), pretty: false });
    return { ...r, tookMs: Date.now() - started };
  }

  it('a service that executes duplicates trips it mid-window: aborted, exit 3, the probe and its values named', async () => {
    const r = await run('executes-204', 'leaky');
    expect(r.verdict.status).to.equal('aborted');
    expect(r.exitCode).to.equal(3);
    expect(r.verdict.reason).to.match(/^stop condition leak: orders = \d+, expected at most \d+ ± 0$/);
    const [, value, expected] = /= (\d+), expected at most (\d+)/.exec(r.verdict.reason!)!.map(Number);
    expect(value).to.be.greaterThan(expected);
    expect(r.tookMs, 'stopped inside the window').to.be.below(WINDOW_MS);
  });

  it('a correct service keeps perKey × keys through the whole window: pass', async () => {
    const r = await run('correct', 'sound');
    expect(r.verdict.status, r.verdict.reason).to.equal('pass');
    expect(r.tookMs).to.be.at.least(WINDOW_MS);
    expect(r.verdict.probes.orders.after).to.equal(r.verdict.evidence!.create.ops);
  });

  it('validate: a keyed probe needs perKey, a plain probe needs expected (each named by its path)', () => {
    const base = { version: 1, name: 'v', http: { upstream: 'http://127.0.0.1:1', rules: [{ name: 'create', match: { method: 'POST', path: '/**' }, fraction: 0.1, faults: [{ kind: 'replay' }] }] } };
    const probes = { keyed: { sql: 'select 1', url: 'postgres://x', keys: { rule: 'create' } }, plain: { sql: 'select 1', url: 'postgres://x' } };
    expect(() => parseScenario({ ...base, probes, gate: { stop: { conditions: [{ name: 'a', probe: 'keyed', expected: 3 }] } } }))
      .to.throw(/gate\.stop\.conditions\[0\]\.perKey: keyed is a keyed probe/);
    expect(() => parseScenario({ ...base, probes, gate: { stop: { conditions: [{ name: 'b', probe: 'plain', perKey: 1 }] } } }))
      .to.throw(/gate\.stop\.conditions\[0\]\.expected: plain is a plain probe/);
  });
});
