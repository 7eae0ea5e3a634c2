// kafkajs builds every produced record as `{ ...message, offsetDelta, timestampDelta }`. From an
// ordinary message object, Node 20's V8 gives each such record a hidden class of its own (every one an
// inline-cache miss in the record encoder and kafkajs's batch code); the relay's produced messages are
// prototype-less so the records share one. This runs kafkajs's real produce request encoder.
import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import type { KafkaMessage, Message } from 'kafkajs';
import { installRawHeaderCodec } from '../../../src/kafka/raw-headers';
import { copyOf, forwardOf } from '../../../src/kafka/relay-message';

setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** The hidden classes of the records kafkajs builds from these batches (through a fresh copy of its
 * produce request module, which binds the record encoder when loaded). */
async function recordShapes(batches: Message[][]): Promise<{ records: number; shapes: number }> {
  installRawHeaderCodec();
  const recordPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index');
  const requestPath = require.resolve('kafkajs/src/protocol/requests/produce/v3/request');
  const encoder = require.cache[recordPath]!.exports;
  const loadedRequest = require.cache[requestPath];
  const seen: object[] = [];
  let records = 0;
  require.cache[recordPath]!.exports = (record: object) => {
    records++;
    if (!seen.some((s) => haveSameMap(s, record))) seen.push(record);
    return encoder(record);
  };
  delete require.cache[requestPath];
  try {
    const request = require(requestPath);
    for (const messages of batches) {
      const topicData = [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages }] }];
      await request({ acks: -1, timeout: 1000, producerId: -1, producerEpoch: 0, compression: 0, topicData }).encode();
    }
  } finally {
    require.cache[recordPath]!.exports = encoder;
    if (loadedRequest) require.cache[requestPath] = loadedRequest;
    else delete require.cache[requestPath];
  }
  return { records, shapes: seen.length };
}

const consumed = (i: number): KafkaMessage =>
  ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: { 'message-id': Buffer.from(`m${i}`) }, timestamp: String(1_700_000_000_000 + i), offset: String(i), attributes: 0 }) as KafkaMessage;
const batches = (make: (m: KafkaMessage) => Message) => Array.from({ length: 40 }, (_, b) => Array.from({ length: 25 }, (_, i) => make(consumed(b * 25 + i))));

describe('kafka/hidden classes of produced records', () => {
  it('the relay\'s forwarded originals and copies: one record hidden class for 1,000 records each', async () => {
    expect(await recordShapes(batches(forwardOf))).to.deep.equal({ records: 1000, shapes: 1 });
    expect(await recordShapes(batches((m) => copyOf(m, 'doubletap-copy')))).to.deep.equal({ records: 1000, shapes: 1 });
  });

  it('control: ordinary message objects (what the relay produced before) get a class per record (if this fails, V8 no longer does that and produced() can go)', async () => {
    const plain = await recordShapes(batches((m) => ({ key: m.key, value: m.value, headers: m.headers, timestamp: m.timestamp })));
    expect(plain.records).to.equal(1000);
    expect(plain.shapes).to.be.greaterThan(100);
  });
});
