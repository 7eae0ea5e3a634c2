// A standing relay (`doubletap relay --standing`, a real child process, a real broker): every message
// relayed exactly once while nothing is armed; armed (fraction 1, copies 1) exactly one copy of each
// message of the window; disarmed again (explicitly, or by the lease running out) zero copies; a
// restarted relay comes back disarmed. Counted at the destination topic.
import { expect } from 'chai';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, stopCli, type CliResult } from '../../helpers/cli';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { arming, post } from '../production/standing-helpers';
import { createTopics, produceAll, readTopic } from './kafka-util';

const LEASE_BOUND_MS = 1000; // docs/production.md: a lease runs out within lease + 1 s

describe('standing relay armed over the control API (CLI, real broker)', function () {
  this.timeout(180_000);
  let brokers: string[];
  let source: string;
  let dest: string;
  let cli: CliResult;
  let controlUrl: string;
  const journal = join(mkdtempSync(join(tmpdir(), 'standing-relay-')), 'journal.jsonl');

  async function start(): Promise<void> {
    cli = await runCli(
      ['relay', '--standing', '--brokers', brokers[0]!, '--from', source, '--to', dest, '--group', `g-${dest}`, '--control', '127.0.0.1:0', '--replica', 'k1', '--journal', journal],
      { until: /control on \S+/, timeoutMs: 600_000, env: { DOUBLETAP_LOG_LEVEL: 'warn' } },
    );
    if (cli.code !== null) throw new Error(`standing relay exited ${cli.code}: ${cli.stderr}`);
    controlUrl = /control on (\S+)/.exec(cli.stdout)![1]!;
  }

  /** Produces n messages valued `phase-i`, waits until each reached the destination, and a while more. */
  async function relayed(phase: string, n: number, perMessage: number): Promise<Map<string, number>> {
    await produceAll(brokers, source, Array.from({ length: n }, (_, i) => ({ key: `k-${i % 5}`, value: `${phase}-${i}` })));
    const count = (ms: { value: string }[]) => ms.filter((m) => m.value.startsWith(`${phase}-`)).length;
    // Wait for the expected count, then 2 s of quiet: a late extra copy would be counted too.
    await readTopic(brokers, dest, { done: (ms) => count(ms) >= n * perMessage, idleMs: 30_000, timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 2000));
    const perValue = new Map<string, number>();
    for (const m of await readTopic(brokers, dest, { idleMs: 1500 })) if (m.value.startsWith(`${phase}-`)) perValue.set(m.value, (perValue.get(m.value) ?? 0) + 1);
    return perValue;
  }

  const exactly = (perValue: Map<string, number>, phase: string, n: number, times: number) => {
    expect(perValue.size, `${phase}: distinct messages`).to.equal(n);
    expect([...perValue.values()].every((c) => c === times), `${phase}: ${JSON.stringify([...perValue])}`).to.equal(true);
  };
  const armedGauge = async () => /^doubletap_armed (\d)$/m.exec(await (await fetch(`${controlUrl}/metrics`)).text())?.[1];
  const arm = (runId: string, lease: string) => post(`${controlUrl}/arm`, {
    runId, who: 'tester', relays: [{ name: 'relay', fraction: 1, copies: 1 }], seed: 7, budget: { total: 10_000 },
    windowEnd: new Date(Date.now() + 120_000).toISOString(), settle: '1s', lease,
  });

  before(async () => {
    brokers = (await ensureBroker()).brokers;
    source = uniqueTopic('standing-src');
    dest = uniqueTopic('standing-dst');
    await createTopics(brokers, [source, dest]);
    await start();
  });
  after(async () => {
    if (cli) await stopCli(cli);
  });

  it('relays every message exactly once, unchanged, while nothing is armed', async () => {
    expect((await arming(controlUrl)).armed).to.equal(null);
    expect(await armedGauge()).to.equal('0');
    exactly(await relayed('idle', 50, 1), 'idle', 50, 1);
  });

  it('armed (fraction 1, copies 1): exactly one copy of each message; disarmed: none again', async () => {
    const res = await arm('window-1', '60s');
    expect(res.status, await res.clone().text()).to.equal(200);
    expect((await arming(controlUrl)).armed?.runId).to.equal('window-1');
    expect(await armedGauge()).to.equal('1');
    exactly(await relayed('armed', 40, 2), 'armed', 40, 2);

    const off = await post(`${controlUrl}/disarm`, { runId: 'window-1', reason: 'test over' });
    expect(off.status).to.equal(200);
    expect((await arming(controlUrl)).armed).to.equal(null);
    expect(await armedGauge()).to.equal('0');
    exactly(await relayed('after', 40, 1), 'after', 40, 1);

    const audits = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.kind === 'audit');
    expect(audits.map((a) => a.event)).to.include.members(['arm', 'disarm']);
    expect(audits.find((a) => a.event === 'disarm').detail).to.match(/run window-1 disarmed k1: test over/);
  });

  it('rejects an arm body that is not for a relay, naming the path (400), and stays disarmed', async () => {
    const wrongName = await post(`${controlUrl}/arm`, { runId: 'bad', relays: [{ name: 'nope', fraction: 1 }], seed: 1, budget: {}, windowEnd: new Date(Date.now() + 5000).toISOString(), lease: '5s' });
    expect(wrongName.status).to.equal(400);
    expect(await wrongName.text()).to.include('relays[0].name: no relay nope here');
    const badFraction = await post(`${controlUrl}/arm`, { runId: 'bad', relays: [{ name: 'relay', fraction: 2 }], seed: 1, budget: {}, windowEnd: new Date(Date.now() + 5000).toISOString(), lease: '5s' });
    expect(badFraction.status).to.equal(400);
    expect(await badFraction.text()).to.include('relays[0].fraction');
    expect((await arming(controlUrl)).armed).to.equal(null);
  });

  it('disarms itself when the lease is not renewed, within lease + 1 s; then zero copies', async () => {
    const leaseMs = 1500;
    const res = await arm('lease-1', `${leaseMs}ms`);
    expect(res.status, await res.clone().text()).to.equal(200);
    const armedAt = Date.now();
    let disarmedAfter = -1;
    while (Date.now() - armedAt < 10_000) {
      if ((await arming(controlUrl)).armed === null) {
        disarmedAfter = Date.now() - armedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    console.log(`      lease ${leaseMs} ms: disarmed ${disarmedAfter} ms after arming`);
    expect(disarmedAfter).to.be.at.least(leaseMs - 50);
    expect(disarmedAfter).to.be.at.most(leaseMs + LEASE_BOUND_MS);
    exactly(await relayed('lease', 30, 1), 'lease', 30, 1);
  });

  it('disarms itself at the window end (+ settle) and on halt, each an audit line', async () => {
    const windowEnd = Date.now() + 1500;
    const res = await post(`${controlUrl}/arm`, {
      runId: 'window-end', relays: [{ name: 'relay', fraction: 1 }], seed: 7, budget: {}, windowEnd: new Date(windowEnd).toISOString(), settle: '500ms', lease: '60s',
    });
    expect(res.status, await res.clone().text()).to.equal(200);
    while ((await arming(controlUrl)).armed !== null && Date.now() < windowEnd + 10_000) await new Promise((r) => setTimeout(r, 20));
    const late = Date.now() - (windowEnd + 500);
    console.log(`      window end + settle: disarmed ${late} ms after`);
    expect(late).to.be.within(-50, 1000);

    expect((await arm('halt-1', '60s')).status).to.equal(200);
    expect((await post(`${controlUrl}/halt`, { reason: 'operator stop' })).status).to.equal(200);
    expect((await arming(controlUrl)).armed).to.equal(null);
    exactly(await relayed('halted', 20, 1), 'halted', 20, 1);
    const details = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.event === 'disarm').map((l) => l.detail);
    expect(details.join('\n')).to.match(/run window-end disarmed k1: window ended/).and.to.match(/run halt-1 disarmed k1: halted: operator stop/);
  });

  it('a restarted relay comes back disarmed (armed before the restart)', async () => {
    expect((await arm('restart-1', '60s')).status).to.equal(200);
    await stopCli(cli);
    await start();
    expect((await arming(controlUrl)).armed).to.equal(null);
    expect(await armedGauge()).to.equal('0');
    exactly(await relayed('restarted', 20, 1), 'restarted', 20, 1);
  });
});
