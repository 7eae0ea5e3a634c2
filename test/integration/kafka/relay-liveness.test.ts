// The liveness contract (docs/relay.md): /healthz and /status tell the truth when the consumer, the
// producer or the broker connection goes away, and the relay exits 3 when it cannot go on.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startControlServer, type ControlServer } from '../../../src/control/server';
import { relayHealth, relayStatus } from '../../../src/kafka/relay-status';
import { silentLogger } from '../../../src/log';
import { runCli, stopCli } from '../../helpers/cli';
import { ensureBroker, uniqueTopic, type TestBroker } from '../../helpers/kafka-broker';
import { client, createTopics, produceAll, readTopic, startTestRelay, testMessage, type TestRelay } from './kafka-util';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIVENESS = { stallMs: 3000, failAfterMs: 600_000 };

async function probe(url: string) {
  const h = await fetch(`${url}/healthz`);
  const status = (await (await fetch(`${url}/status`)).json()) as { phase: string; relays: { state: string; reason?: string }[] };
  return { code: h.status, text: await h.text(), phase: status.phase, state: status.relays[0].state };
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  let last: T | undefined;
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(250)) {
    last = await get();
    if (ok(last)) return last;
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
}

describe('kafka relay: liveness contract (real broker)', function () {
  this.timeout(240_000);
  let broker: TestBroker;
  let running: { t: TestRelay; control: ControlServer } | undefined;

  before(async () => {
    broker = await ensureBroker();
  });

  afterEach(async () => {
    await running?.t.relay.close(5000);
    await running?.control.close();
    running = undefined;
  });

  async function relayWithControl() {
    const [source, dest] = [uniqueTopic('live-src'), uniqueTopic('live-dst')];
    await createTopics(broker.brokers, [source, dest], 2);
    await produceAll(broker.brokers, source, Array.from({ length: 50 }, (_, i) => testMessage(i)));
    const t = await startTestRelay(broker.brokers, { group: `g-${dest}`, from: source, to: dest, fraction: 0 }, { liveness: LIVENESS });
    const named = () => [{ name: 'r', relay: t.relay }];
    const control = await startControlServer({ halt: t.halt, registry: t.metrics.registry, logger: silentLogger(), status: () => relayStatus(named(), t.halt.halted), health: () => relayHealth(named()) });
    running = { t, control };
    await readTopic(broker.brokers, dest, { done: (m) => m.length >= 50 });
    const before = await until('healthy', () => probe(control.url), (p) => p.state === 'relaying');
    expect(before).to.include({ code: 200, text: 'ok', phase: 'relaying' });
    return { t, url: control.url, source, dest };
  }

  it('consumer gone: /healthz 503 naming it, /status failed, the relay reports the failure', async () => {
    const { t, url } = await relayWithControl();
    await t.relay.clients.consumer.disconnect();
    const after = await until('consumer failure seen', () => probe(url), (p) => p.code === 503);
    expect(after).to.include({ phase: 'failed', state: 'failed' });
    expect(after.text).to.include('consumer disconnected');
    expect(await t.relay.failed).to.equal('consumer disconnected');
  });

  it('producer gone: /healthz 503 naming it, /status failed', async () => {
    const { t, url } = await relayWithControl();
    await t.relay.clients.producer.disconnect();
    const after = await until('producer failure seen', () => probe(url), (p) => p.code === 503);
    expect(after).to.include({ phase: 'failed', state: 'failed' });
    expect(after.text).to.include('producer disconnected');
  });

  it('broker gone: stalled (503) within the stall bound; back to relaying (200) when it returns, nothing lost', async () => {
    const { t, url, source, dest } = await relayWithControl();
    await broker.stop();
    const down = await until('stall seen', () => probe(url), (p) => p.code === 503, 60_000);
    expect(down).to.include({ phase: 'stalled', state: 'stalled' });
    await broker.restart();
    await until('recovered', () => probe(url), (p) => p.code === 200 && p.state === 'relaying', 120_000);
    await produceAll(broker.brokers, source, Array.from({ length: 50 }, (_, i) => testMessage(50 + i)));
    const out = await readTopic(broker.brokers, dest, { done: (m) => new Set(m.map((x) => x.headers['message-id'])).size >= 100, timeoutMs: 90_000 });
    expect(new Set(out.map((x) => x.headers['message-id'])).size).to.equal(100);
    expect(t.relay.health().state).to.equal('relaying');
  });

  it('a message the destination refuses for good: exit 3, a journal line naming topic/partition/offset, nothing after it relayed', async () => {
    const [source, dest] = [uniqueTopic('refuse-src'), uniqueTopic('refuse-dst')];
    await createTopics(broker.brokers, [source], 1);
    const admin = client(broker.brokers).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: dest, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '20000' }] }] });
    await admin.disconnect();
    const input = Array.from({ length: 30 }, (_, i) => testMessage(i, 20, i === 10 ? 50_000 : 10));
    await produceAll(broker.brokers, source, input);
    const journal = join(tmpdir(), `refuse-${process.pid}-${Date.now()}.jsonl`);
    const r = await runCli(['relay', '--brokers', broker.brokers[0], '--from', source, '--to', dest, '--fraction', '0', '--from-beginning', '--journal', journal], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stderr).to.include(`${source}/0 offset 10`).and.to.include('max.message.bytes 20000');
    const lines = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { offset: string; error?: string });
    expect(lines.filter((l) => l.error)).to.have.length(1);
    expect(lines.find((l) => l.error)).to.include({ offset: '10' });
    const out = await readTopic(broker.brokers, dest, { idleMs: 2000 });
    expect(out.map((m) => m.headers['message-id'])).to.deep.equal(input.slice(0, 10).map((m) => (m.headers as Record<string, string>)['message-id']));
  });

  it('SIGTERM after a broker bounce under traffic exits within its bound', async () => {
    const [source, dest] = [uniqueTopic('bounce-src'), uniqueTopic('bounce-dst')];
    await createTopics(broker.brokers, [source, dest], 2);
    await produceAll(broker.brokers, source, Array.from({ length: 2000 }, (_, i) => testMessage(i, 20, 200)));
    const r = await runCli(['relay', '--brokers', broker.brokers[0], '--from', source, '--to', dest, '--fraction', '0.1', '--from-beginning'], { until: 'relaying', timeoutMs: 240_000 });
    await sleep(1000);
    await broker.stop();
    await sleep(12_000);
    await broker.restart();
    await readTopic(broker.brokers, dest, { done: (m) => new Set(m.map((x) => x.headers['message-id'])).size >= 2000, timeoutMs: 120_000 });
    const t0 = Date.now();
    const end = await stopCli(r, 'SIGTERM', 40_000);
    console.log(`      SIGTERM → exit ${end.code} in ${Date.now() - t0} ms`);
    // Before: in 2 of 2 runs the process never exited. 0 = closed cleanly; 3 = the documented bounded
    // close gave up on a broker connection (its uncommitted originals come back as redeliveries).
    expect(end.signal).to.equal(null);
    expect(end.code).to.be.oneOf([0, 3]);
    expect(Date.now() - t0).to.be.below(35_000);
  });
});
