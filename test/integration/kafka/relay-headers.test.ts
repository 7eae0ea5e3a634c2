// Headers arrive exactly as produced (issue 16, defects 1 and 6). Input and output go through Apache
// Kafka's own Java client, which writes and reads the raw header sequence; the relay sits between.
import { expect } from 'chai';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { produceRaw, readRaw, type RawRecord } from '../../helpers/raw-headers';
import { createTopics, startTestRelay } from './kafka-util';

const b = (s: string) => Buffer.from(s);

/** Hostile header sequences, each followed by ordinary records that must get through too. */
function records(): RawRecord[] {
  const hostile: [string, Buffer | null][][] = [
    [['constructor', b('c')]],
    [['__proto__', b('p')], ['toString', b('t')], ['hasOwnProperty', b('h')]],
    [['a', b('1')], ['b', b('2')], ['a', b('3')]],
    [['n', null], ['a', b('x')], ['n', null]],
    [['bin', Buffer.from([0, 255, 10, 13, 32])], ['', b('empty-name')], ['e', Buffer.alloc(0)]],
  ];
  const out: RawRecord[] = [];
  hostile.forEach((headers, i) => {
    out.push({ partition: 0, key: b(`h-${i}`), value: b(`hostile ${i}`), headers });
    for (let j = 0; j < 3; j++) out.push({ partition: 0, key: b(`k-${i}-${j}`), value: b(`after ${i}.${j}`), headers: [['message-id', b(`m-${i}-${j}`)]] });
  });
  // Null key and null value (a tombstone) with headers.
  out.push({ partition: 0, key: null, value: null, headers: [['z', b('1')], ['y', null]] });
  return out;
}

describe('kafka relay: exact headers (real broker, Java reference client)', function () {
  this.timeout(360_000);

  it('forwards every header sequence unchanged (order, repeats, nulls, built-in names) and relays what follows', async () => {
    const brokers = (await ensureBroker()).brokers;
    const [source, dest] = [uniqueTopic('hdr-src'), uniqueTopic('hdr-dst')];
    await createTopics(brokers, [source, dest], 1);
    const input = records();
    await produceRaw(brokers, source, input);
    const sent = await readRaw(brokers, source, input.length);
    expect(sent).to.have.length(input.length);
    // The reference client kept the sequences as written: the comparison below means something.
    expect(sent.map((r) => r.headers)).to.deep.equal(input.map((r) => r.headers));

    const t = await startTestRelay(brokers, { group: `g-${dest}`, from: source, to: dest, fraction: 0 });
    const out = await readRaw(brokers, dest, input.length, 60_000);
    expect(t.relay.health().state).to.equal('relaying');
    await t.relay.close();
    expect(out).to.have.length(input.length);
    out.forEach((r, i) => {
      const s = sent[i];
      expect([r.key, r.value, r.timestamp], `record ${i}`).to.deep.equal([s.key, s.value, s.timestamp]);
      expect(r.headers, `record ${i} headers`).to.deep.equal(s.headers);
    });
    expect(t.relay.stats()).to.include({ originals: input.length, redeliveries: 0 });
  });
});
