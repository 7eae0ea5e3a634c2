// RestartMatcher: which source messages a restarted relay counts as its own redeliveries.
import { expect } from 'chai';
import { RestartMatcher } from '../../../src/kafka/restart-match';

describe('kafka RestartMatcher', () => {
  it('matches an id found in the destination tail once per occurrence', () => {
    const m = new RestartMatcher(10);
    m.setSourceRange('src', 0, 0n, 100n);
    m.add('m-1');
    m.add('m-1');
    expect(m.take('src', 0, '5', 'm-1')).to.equal(true);
    expect(m.take('src', 0, '6', 'm-1')).to.equal(true);
    expect(m.take('src', 0, '7', 'm-1')).to.equal(false);
    expect(m.take('src', 0, '8', 'm-2')).to.equal(false);
  });

  it('never matches a source message written after this run started, or on an unknown partition', () => {
    const m = new RestartMatcher(10);
    m.setSourceRange('src', 0, 0n, 100n);
    m.add('m-1');
    expect(m.take('src', 0, '100', 'm-1')).to.equal(false);
    expect(m.take('src', 1, '3', 'm-1')).to.equal(false);
    expect(m.take('src', 0, '99', 'm-1')).to.equal(true);
  });

  it('matches only between the committed offset and the start-up end, and only the same timestamp', () => {
    const m = new RestartMatcher(10);
    m.setSourceRange('src', 0, 50n, 100n);
    m.add('m-1', '1000');
    m.add('m-1', '1000');
    // Below the committed offset: relayed and committed long ago, not by the run that died.
    expect(m.take('src', 0, '49', 'm-1', '1000')).to.equal(false);
    // A genuine producer duplicate: same identity, produced anew (another timestamp).
    expect(m.take('src', 0, '60', 'm-1', '2000')).to.equal(false);
    expect(m.take('src', 0, '61', 'm-1', '1000')).to.equal(true);
  });

  it('stops growing at its bound', () => {
    const m = new RestartMatcher(2);
    expect([m.add('a'), m.add('b'), m.add('c')]).to.deep.equal([true, true, false]);
    expect(m.identities).to.equal(2);
  });
});
