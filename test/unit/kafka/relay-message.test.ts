// Pure pieces of the relay: identity, forwarding, redelivery detection, and flag → scenario mapping.
import { expect } from 'chai';
import type { KafkaMessage } from 'kafkajs';
import { relayScenario } from '../../../src/commands/relay';
import { ConfigError } from '../../../src/errors';
import { AckedOffsets, copyOf, forwardOf, identityOf } from '../../../src/kafka/relay-message';

const msg = (headers: KafkaMessage['headers']): KafkaMessage =>
  ({ key: Buffer.from('k'), value: Buffer.from('v'), headers, offset: '7', timestamp: '1000', attributes: 0 }) as KafkaMessage;

describe('relay message helpers', () => {
  it('identity: the configured header (case-insensitive, first of repeats), else topic/partition/offset', () => {
    expect(identityOf(msg({ 'Message-Id': Buffer.from('m-1') }), 't', 2, 'message-id')).to.equal('m-1');
    expect(identityOf(msg({ 'message-id': [Buffer.from('a'), Buffer.from('b')] }), 't', 2, 'message-id')).to.equal('a');
    expect(identityOf(msg({}), 't', 2, 'message-id')).to.equal('t/2/7');
  });

  it('forwards key, value, headers and timestamp unchanged; drops undefined header values', () => {
    const f = forwardOf(msg({ a: Buffer.from('1'), b: undefined }));
    expect(f).to.deep.equal({ key: Buffer.from('k'), value: Buffer.from('v'), headers: { a: Buffer.from('1') }, timestamp: '1000' });
    expect(copyOf(msg({ a: Buffer.from('1') })).headers).to.deep.equal({ a: Buffer.from('1') });
    expect(copyOf(msg({}), 'x-copy', 2).headers).to.deep.equal({ 'x-copy': '2' });
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
});
