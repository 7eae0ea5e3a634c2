// Probes for test/unit/kafka/record-hidden-classes.test.ts (run by shape-count.ts in a fresh process):
// the records kafkajs's real produce request encoder builds from the relay's messages.
import type { KafkaMessage, Message } from 'kafkajs';
import { installRawHeaderCodec } from '../../../src/kafka/raw-headers';
import { copyOf, forwardOf } from '../../../src/kafka/relay-message';

/** Every record kafkajs builds from 40 batches of 25 messages (it binds the encoder when loaded). */
async function records(make: (m: KafkaMessage) => Message): Promise<object[]> {
  installRawHeaderCodec();
  const recordPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index');
  const encoder = require.cache[recordPath]!.exports;
  const seen: object[] = [];
  require.cache[recordPath]!.exports = (record: object) => (seen.push(record), encoder(record));
  const request = require('kafkajs/src/protocol/requests/produce/v3/request');
  for (let b = 0; b < 40; b++) {
    const messages = Array.from({ length: 25 }, (_, i) => make(consumed(b * 25 + i)));
    const topicData = [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages }] }];
    await request({ acks: -1, timeout: 1000, producerId: -1, producerEpoch: 0, compression: 0, topicData }).encode();
  }
  return seen;
}

const consumed = (i: number): KafkaMessage =>
  ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: { 'message-id': Buffer.from(`m${i}`) }, timestamp: String(1_700_000_000_000 + i), offset: String(i), attributes: 0 }) as KafkaMessage;

export const forwarded = () => records(forwardOf);
export const copies = () => records((m) => copyOf(m, 'doubletap-copy'));
/** What the relay produced before: ordinary objects. */
export const ordinary = () => records((m) => ({ key: m.key, value: m.value, headers: m.headers, timestamp: m.timestamp }));
