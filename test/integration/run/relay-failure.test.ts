// A relay that fails for good inside `doubletap run` (here: the destination refuses a message for its
// size) must end the run as aborted, naming the relay and the message: a run that went on would report
// on a window in which nothing after the refused message was relayed.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { silentLogger } from '../../../src/log';
import { runExperiment } from '../../../src/run/experiment';
import { parseScenario } from '../../../src/scenario/load';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { client, createTopics, produceAll, readTopic, testMessage } from '../kafka/kafka-util';
import { tempRunDir } from './e2e-helpers';

describe('doubletap run: a relay that fails ends the run (real broker)', function () {
  this.timeout(180_000);

  it('aborts (exit 3) with the relay, the offset and the broker limit in the reason, long before the window ends', async () => {
    const { brokers } = await ensureBroker();
    const [source, dest] = [uniqueTopic('runfail-src'), uniqueTopic('runfail-dst')];
    await createTopics(brokers, [source], 1);
    const admin = client(brokers).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: dest, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '20000' }] }] });
    await admin.disconnect();
    // Message 10 is larger than the destination accepts: it can never be delivered.
    await produceAll(brokers, source, Array.from({ length: 30 }, (_, i) => testMessage(i, 20, i === 10 ? 50_000 : 10)));

    const scenario = parseScenario({
      version: 1, name: 'relay-failure', seed: 7, duration: '60s', settle: '5s',
      control: { listen: '127.0.0.1:0' },
      kafka: { brokers, relays: [{ name: 'pay', from: source, to: dest, fraction: 0, fromBeginning: true }] },
    });
    const started = Date.now();
    const result = await runExperiment(scenario, { reportDir: tempRunDir('relay-failure'), logger: silentLogger(), pretty: false });
    const tookMs = Date.now() - started;

    expect(result.exitCode).to.equal(3);
    expect(result.verdict.status).to.equal('aborted');
    expect(result.verdict.reason).to.include('relay pay failed').and.to.include(`${source}/0 offset 10`).and.to.include('max.message.bytes');
    expect(tookMs, 'the run stopped at the failure, not at the window end').to.be.below(50_000);
    // Nothing was lost: the ten messages before the refused one were relayed, none after it.
    // (`done` never holds for a correct relay: the read ends when the topic stays quiet.)
    const relayed = await readTopic(brokers, dest, { done: (m) => m.length > 10, idleMs: 8000 });
    expect(relayed.map((m) => m.headers['message-id'])).to.deep.equal(Array.from({ length: 10 }, (_, i) => `m-${i}`));
    const journal = readFileSync(join(result.runDir, 'journal.jsonl'), 'utf8');
    expect(journal).to.include('"offset":"10"');
  });
});
