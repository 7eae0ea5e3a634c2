import { expect } from 'chai';
import { classify } from '../../../src/http/classify';

const orig = { status: 201, bodySha256: 'aaa' };

describe('classify', () => {
  it('replay/burst: replayed, conflict, rejected, re-executed, error', () => {
    expect(classify('replay', { status: 201, bodySha256: 'aaa' }, orig)).to.equal('replayed');
    expect(classify('replay', { status: 200, bodySha256: 'zzz', replayedHeader: true }, orig)).to.equal('replayed');
    expect(classify('burst', { status: 409, bodySha256: 'x' }, orig)).to.equal('conflict');
    expect(classify('replay', { status: 422, bodySha256: 'x' }, orig)).to.equal('rejected');
    expect(classify('replay', { status: 201, bodySha256: 'bbb' }, orig)).to.equal('re-executed');
    expect(classify('replay', { status: 503, bodySha256: 'x' }, orig)).to.equal('error');
    expect(classify('replay', { error: 'ECONNRESET' }, orig)).to.equal('error');
    expect(classify('replay', { status: 201, bodySha256: 'aaa' }, undefined)).to.equal('re-executed');
  });

  it('key-reuse: 422/400 rejected, replay of the original is wrong-replay, new 2xx re-executed', () => {
    expect(classify('key-reuse', { status: 422, bodySha256: 'x' }, orig)).to.equal('rejected');
    expect(classify('key-reuse', { status: 400, bodySha256: 'x' }, orig)).to.equal('rejected');
    expect(classify('key-reuse', { status: 201, bodySha256: 'aaa' }, orig)).to.equal('wrong-replay');
    expect(classify('key-reuse', { status: 201, bodySha256: 'q', replayedHeader: true }, orig)).to.equal('wrong-replay');
    expect(classify('key-reuse', { status: 201, bodySha256: 'bbb' }, orig)).to.equal('re-executed');
    expect(classify('key-reuse', { status: 409, bodySha256: 'x' }, orig)).to.equal('conflict');
    expect(classify('key-reuse', { status: 404, bodySha256: 'x' }, orig)).to.equal('error');
  });

  it('strip-key: 400 rejected, 2xx re-executed, other 4xx unexpected', () => {
    expect(classify('strip-key', { status: 400, bodySha256: 'x' }, orig)).to.equal('rejected');
    expect(classify('strip-key', { status: 201, bodySha256: 'bbb' }, orig)).to.equal('re-executed');
    expect(classify('strip-key', { status: 422, bodySha256: 'x' }, orig)).to.equal('error');
  });
});
