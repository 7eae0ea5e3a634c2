// kafkajs builds every produced record as `{ ...message, offsetDelta, timestampDelta }`. From an
// ordinary message object, Node 20's V8 gives each such record a hidden class of its own (every one an
// inline-cache miss in the record encoder and kafkajs's batch code); the relay's produced messages are
// prototype-less so the records share one. The probes run kafkajs's real produce request encoder, in
// a fresh process (test/helpers/shape-count.ts says why).
import { expect } from 'chai';
import { countShapes } from '../../helpers/shape-count';

describe('kafka/hidden classes of produced records', () => {
  it('the relay\'s forwarded originals and copies: one record hidden class for 1,000 records each', () => {
    const forwarded = countShapes('kafka-records.ts', 'forwarded');
    expect(forwarded).to.include({ objects: 1000, shapes: 1 });
    expect(forwarded.last).to.include({ offsetDelta: 24, timestamp: String(1_700_000_000_999) });
    expect(countShapes('kafka-records.ts', 'copies')).to.include({ objects: 1000, shapes: 1 });
  });

  it('control: ordinary message objects (what the relay produced before) get a class per record (if this fails, V8 no longer does that and produced() can go)', () => {
    const plain = countShapes('kafka-records.ts', 'ordinary');
    expect(plain.objects).to.equal(1000);
    expect(plain.shapes).to.be.greaterThan(100);
  });
});
