// `doubletap relay` as a child process: bad input fails with exit 2 within a bounded time and names
// the broker or topic; a good run prints `relaying FROM → TO` and stops cleanly on SIGTERM.
import { expect } from 'chai';
import { runCli, stopCli } from '../../helpers/cli';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { createTopics, produceAll, readTopic, testMessage } from './kafka-util';

const BOUND_MS = 15_000;

describe('doubletap relay (CLI, real broker)', function () {
  this.timeout(90_000);
  let brokers: string[];
  let source: string;
  let dest: string;

  before(async () => {
    brokers = (await ensureBroker()).brokers;
    source = uniqueTopic('cli-src');
    dest = uniqueTopic('cli-dst');
    await createTopics(brokers, [source, dest]);
  });

  async function expectExit2(args: string[], mentions: string[], env?: Record<string, string>) {
    const t0 = Date.now();
    const r = await runCli(['relay', ...args], { timeoutMs: 25_000, env });
    const ms = Date.now() - t0;
    expect(r.code, r.stderr).to.equal(2);
    expect(ms).to.be.below(BOUND_MS);
    for (const m of mentions) expect(r.stderr).to.include(m);
    expect(r.stderr).to.not.include('secret-pw');
    return ms;
  }

  it('missing source topic → exit 2 naming the topic', async () => {
    await expectExit2(['--brokers', brokers[0], '--from', 'no-such-topic', '--to', dest], ['no-such-topic', 'does not exist']);
  });

  it('unreachable brokers → exit 2 naming them', async () => {
    await expectExit2(['--brokers', '127.0.0.1:1', '--from', source, '--to', dest], ['cannot reach 127.0.0.1:1']);
  });

  it('SASL credentials on a PLAINTEXT broker → exit 2 in bounded time', async () => {
    const file = require('node:path').join(require('node:os').tmpdir(), `sasl-${process.pid}.yaml`);
    require('node:fs').writeFileSync(file, `version: 1\nname: sasl\nkafka:\n  brokers: [${brokers[0]}]\n  sasl: { mechanism: plain, username: u, password: env:DT_TEST_KAFKA_PW }\n  relays: [{ name: r, from: ${source}, to: ${dest}, fraction: 0.1 }]\n`);
    await expectExit2(['--scenario', file], [`cannot reach ${brokers[0]}`], { DT_TEST_KAFKA_PW: 'secret-pw' });
  });

  it('a destination that is also the source → exit 2 before anything starts (it would loop for ever)', async () => {
    await expectExit2(['--brokers', brokers[0], '--from', source, '--to', source], ['kafka.relays[0].to', 'also a source']);
  });

  it('a bad flag is a ConfigError with its path', async () => {
    await expectExit2(['--brokers', brokers[0], '--from', source, '--to', dest, '--fraction', '2'], ['kafka.relays[0].fraction']);
  });

  it('relays, prints its banner, and stops on SIGTERM with exit 0', async () => {
    await produceAll(brokers, source, Array.from({ length: 100 }, (_, i) => testMessage(i)));
    const r = await runCli(['relay', '--brokers', brokers[0], '--from', source, '--to', dest, '--fraction', '0', '--group', `g-${dest}`, '--from-beginning'], { until: 'relaying', timeoutMs: 30_000 });
    expect(r.stdout).to.include(`relaying ${source} → ${dest}`);
    let tail = '';
    r.child.stdout?.on('data', (c: string) => (tail += c));
    const out = await readTopic(brokers, dest, { done: (m) => m.length >= 100 });
    expect(out).to.have.length(100);
    const end = await stopCli(r, 'SIGTERM', 20_000);
    expect(end.code).to.equal(0);
    expect(tail).to.include('"originals":100');
  });

  it('starts at the end of its source by default: a retained backlog is not re-published, what follows is relayed', async () => {
    const [src, dst] = [uniqueTopic('end-src'), uniqueTopic('end-dst')];
    await createTopics(brokers, [src, dst], 2);
    await produceAll(brokers, src, Array.from({ length: 300 }, (_, i) => testMessage(i)));
    const r = await runCli(['relay', '--brokers', brokers[0], '--from', src, '--to', dst, '--fraction', '0'], { until: 'relaying', timeoutMs: 60_000 });
    // Produced right after the banner: the group's start was pinned before it joined, so none is skipped.
    await produceAll(brokers, src, Array.from({ length: 50 }, (_, i) => testMessage(300 + i)));
    const out = await readTopic(brokers, dst, { done: (m) => m.length >= 50, idleMs: 4000 });
    expect((await stopCli(r, 'SIGTERM', 20_000)).code).to.equal(0);
    expect(out.map((m) => m.headers['message-id']).sort()).to.deep.equal(Array.from({ length: 50 }, (_, i) => `m-${300 + i}`).sort());
  });
});
