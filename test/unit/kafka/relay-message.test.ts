// Pure pieces of the relay: identity, forwarding, redelivery detection, and flag → scenario mapping.
import { expect } from 'chai';
import type { KafkaMessage } from 'kafkajs';
import { relayScenario } from '../../../src/commands/relay';
import { ConfigError } from '../../../src/errors';
import { AckedOffsets, copyOf, forwardOf, identityOf } from '../../../src/kafka/relay-message';
import { rejectionOf } from '../../../src/kafka/destination-limits';
import { headersOf, rawHeadersOf, type RawHeader } from '../../../src/kafka/raw-headers';

const msg = (headers: KafkaMessage['headers']): KafkaMessage =>
  ({ key: Buffer.from('k'), value: Buffer.from('v'), headers, offset: '7', timestamp: '1000', attributes: 0 }) as KafkaMessage;

describe('relay message helpers', () => {
  it('identity: the configured header (case-insensitive, first of repeats), else topic/partition/offset', () => {
    expect(identityOf(msg({ 'Message-Id': Buffer.from('m-1') }), 't', 2, 'message-id')).to.equal('m-1');
    expect(identityOf(msg({ 'message-id': [Buffer.from('a'), Buffer.from('b')] }), 't', 2, 'message-id')).to.equal('a');
    expect(identityOf(msg({}), 't', 2, 'message-id')).to.equal('t/2/7');
  });

  it('forwards key, value, timestamp and the exact header sequence (order, repeats, nulls, any name)', () => {
    const raw: RawHeader[] = [['a', Buffer.from('1')], ['constructor', Buffer.from('c')], ['__proto__', null], ['b', Buffer.from('2')], ['a', Buffer.from('3')]];
    const f = forwardOf(msg(headersOf(raw)));
    expect([f.key, f.value, f.timestamp]).to.deep.equal([Buffer.from('k'), Buffer.from('v'), '1000']);
    expect(rawHeadersOf(f.headers)).to.deep.equal(raw);
    // The map view has no prototype: a header named like a built-in is just a header.
    expect(Object.keys(f.headers!)).to.deep.equal(['a', 'constructor', '__proto__', 'b']);
    expect(rawHeadersOf(copyOf(msg(headersOf(raw)), 'x-copy', 2).headers)).to.deep.equal([...raw, ['x-copy', Buffer.from('2')]]);
    // A plain map (no wire list) still works: undefined and null values become null entries.
    expect(rawHeadersOf(forwardOf(msg({ a: Buffer.from('1'), b: undefined })).headers)).to.deep.equal([['a', Buffer.from('1')], ['b', null]]);
  });

  it('refuses what the destination would refuse for good: size and timestamp window', () => {
    const limits = { maxMessageBytes: 1000, timestampBeforeMs: 60_000, timestampAfterMs: 60_000 };
    const now = 10_000_000;
    expect(rejectionOf({ value: 'x'.repeat(100), timestamp: String(now) }, limits, now)).to.equal(undefined);
    expect(rejectionOf({ value: 'x'.repeat(1000), timestamp: String(now) }, limits, now)).to.match(/max.message.bytes 1000/);
    expect(rejectionOf({ value: 'x', timestamp: String(now - 61_000) }, limits, now)).to.match(/before.max.ms/);
    expect(rejectionOf({ value: 'x', timestamp: String(now + 61_000) }, limits, now)).to.match(/after.max.ms/);
    expect(rejectionOf({ value: 'x', timestamp: '1' }, { maxMessageBytes: 1000 }, now)).to.equal(undefined);
  });

  it('offsets at or below the highest acked one are redeliveries', () => {
    const a = new AckedOffsets();
    expect(a.isRedelivery('t', 0, '5')).to.equal(false);
    a.ack('t', 0, '5');
    expect(a.isRedelivery('t', 0, '5')).to.equal(true);
    expect(a.isRedelivery('t', 0, '6')).to.equal(false);
    expect(a.isRedelivery('t', 1, '1')).to.equal(false);
  });
});

describe('relayScenario (flags → validated scenario)', () => {
  it('builds one relay from flags with defaults', () => {
    const s = relayScenario({ brokers: 'a:1,b:2', from: 'in', to: 'out', seed: '7', copies: '2' });
    expect(s.kafka!.brokers).to.deep.equal(['a:1', 'b:2']);
    expect(s.kafka!.relays[0]).to.include({ name: 'relay', to: 'out', fraction: 0.1, copies: 2 });
    expect(s.kafka!.relays[0].from).to.deep.equal(['in']);
    expect(s.seed).to.equal(7);
  });

  it('flag errors are ConfigErrors with paths', () => {
    expect(() => relayScenario({ brokers: 'a:1', from: 'in', to: 'out', fraction: 'x' })).to.throw(ConfigError, 'kafka.relays[0].fraction');
    expect(() => relayScenario({ from: 'in', to: 'out' })).to.throw(ConfigError, 'kafka.brokers');
  });

  it('refuses a destination that is a source (its own or another relay\'s): it would loop for ever', () => {
    expect(() => relayScenario({ brokers: 'a:1', from: 'x', to: 'x' })).to.throw(ConfigError, 'kafka.relays[0].to: topic x is also a source');
    expect(() => relayScenario({ brokers: 'a:1', from: 'x,y', to: 'y' })).to.throw(ConfigError, 'kafka.relays[0].to');
    expect(() => relayScenario({ brokers: 'a:1', from: 'x', to: 'y', deadLetter: 'x' })).to.throw(ConfigError, 'kafka.relays[0].deadLetter');
  });

  it('starts at the end of the source unless asked (--from-beginning)', () => {
    expect(relayScenario({ brokers: 'a:1', from: 'x', to: 'y' }).kafka!.relays[0].fromBeginning).to.equal(false);
    expect(relayScenario({ brokers: 'a:1', from: 'x', to: 'y', fromBeginning: true }).kafka!.relays[0].fromBeginning).to.equal(true);
  });
});
