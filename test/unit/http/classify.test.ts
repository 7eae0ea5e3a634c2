import { expect } from 'chai';
import { faultDriver } from '../../../src/faults';
import { classify } from '../../../src/http/classify';

// Answers as the copy sender reads them: status, replay header, canonical identity of the resource.
const orig = { status: 201, bodySha256: 'aaa', identity: '{"id":7}' };
const replay = faultDriver('replay');
const burst = faultDriver('burst');
const keyReuse = faultDriver('key-reuse');
const stripKey = faultDriver('strip-key');
type Ref = Parameters<typeof classify>[2];
const out = (driver: Parameters<typeof classify>[0], copy: Parameters<typeof classify>[1], ...ref: [Ref] | []) =>
  classify(driver, copy, ref.length === 0 ? orig : ref[0]).outcome;

describe('classify (each fault judges its own copies)', () => {
  it('replay/burst: the same resource or the header is replayed; another resource re-executed', () => {
    expect(classify(replay, { status: 201, identity: '{"id":7}' }, orig)).to.deep.equal({ outcome: 'replayed', verifiedBy: 'identity' });
    expect(classify(replay, { status: 200, replayedHeader: true }, orig)).to.deep.equal({ outcome: 'replayed', verifiedBy: 'header' });
    expect(classify(replay, { status: 201, identity: '{"id":8}' }, orig)).to.deep.equal({ outcome: 're-executed', verifiedBy: 'identity' });
    // A header that claims a replay while naming another resource is not believed.
    expect(out(replay, { status: 201, identity: '{"id":8}', replayedHeader: true })).to.equal('re-executed');
    expect(out(burst, { status: 409 })).to.equal('conflict');
    expect(out(replay, { status: 422 })).to.equal('rejected');
    expect(out(replay, { status: 503 })).to.equal('error');
    expect(out(replay, { error: 'ECONNRESET' })).to.equal('error');
  });

  it('a throttle, a timeout or an auth refusal in front of the service is no answer to the duplicate: error', () => {
    for (const status of [429, 408, 401, 403, 407]) for (const d of [replay, burst, keyReuse, stripKey]) expect(out(d, { status })).to.equal('error');
    expect(out(replay, { status: 404 })).to.equal('rejected'); // state-based: the thing is gone
    expect(out(replay, { status: 400 })).to.equal('rejected');
  });

  it('several id fields: compared on the ones both answers name (a trimmed stored replay is the same resource)', () => {
    const both = { status: 201, identity: '{"order_id":"5","payment_id":"9"}' };
    expect(out(replay, { status: 200, identity: '{"order_id":"5"}' }, both)).to.equal('replayed');
    expect(out(replay, { status: 201, identity: '{"order_id":"5","payment_id":"10"}' }, both)).to.equal('re-executed');
    expect(out(replay, { status: 201, identity: '{"order_id":"6"}' }, both)).to.equal('re-executed');
    expect(out(replay, { status: 201, identity: '{"ledger_id":"1"}' }, both)).to.equal('unverified');
    expect(out(replay, { status: 201, identity: '"a"' }, { status: 201, identity: '"b"' })).to.equal('re-executed');
  });

  it('equal bytes prove nothing: 204s, constant acks and answers without an id are unverified', () => {
    // Answers carry no body hash at all (answer-reader.ts): identical bodies cannot even be compared.
    const empty = { status: 204 };
    expect(out(replay, empty, empty)).to.equal('unverified');
    expect(out(replay, { status: 202 }, { status: 202 })).to.equal('unverified');
    expect(out(replay, { status: 201, identity: '{"id":7}' }, undefined)).to.equal('unverified');
    expect(out(replay, { status: 201, identity: '{"id":7}' }, { status: 201 })).to.equal('unverified');
  });

  it('a refusal counts only when the reference succeeded (a service refusing everything refused nothing)', () => {
    expect(out(replay, { status: 410 }, { status: 401 })).to.equal('unverified');
    expect(out(keyReuse, { status: 422 }, { status: 401 })).to.equal('unverified');
    expect(out(stripKey, { status: 400 }, { status: 500 })).to.equal('unverified');
  });

  it('key-reuse: 422/400 rejected; a success naming the original (or replayed) is wrong-replay, a new one re-executed', () => {
    expect(out(keyReuse, { status: 422 })).to.equal('rejected');
    expect(out(keyReuse, { status: 400 })).to.equal('rejected');
    expect(classify(keyReuse, { status: 201, identity: '{"id":7}' }, orig)).to.deep.equal({ outcome: 'wrong-replay', verifiedBy: 'identity' });
    expect(classify(keyReuse, { status: 201, replayedHeader: true }, orig)).to.deep.equal({ outcome: 'wrong-replay', verifiedBy: 'header' });
    expect(classify(keyReuse, { status: 204 }, orig)).to.deep.equal({ outcome: 'wrong-replay', verifiedBy: 'status' });
    expect(out(keyReuse, { status: 201, identity: '{"id":9}' })).to.equal('re-executed');
    expect(out(keyReuse, { status: 409 })).to.equal('conflict');
    expect(out(keyReuse, { status: 404 })).to.equal('unverified');
  });

  it('strip-key is never a replay: 400/422/428 rejected, any 2xx re-executed', () => {
    expect(out(stripKey, { status: 400 })).to.equal('rejected');
    expect(out(stripKey, { status: 428 })).to.equal('rejected');
    expect(out(stripKey, { status: 201, identity: '{"id":7}', replayedHeader: true })).to.equal('re-executed');
    expect(out(stripKey, { status: 404 })).to.equal('unverified');
  });
});
