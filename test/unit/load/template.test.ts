import { expect } from 'chai';
import { renderTemplate, seededUuid, checkTemplate } from '../../../src/load/template';
import { backoffMs, shouldRetry, failureKind } from '../../../src/load/retry';
import { rngFor } from '../../../src/chaos/decide';
import { retryPolicy } from '../../../src/scenario/schema-load';
import { ConfigError } from '../../../src/errors';

const tpl = { sku: 'A-{{seq}}', amount_cents: '{{int 100 5000}}', id: '{{uuid}}', c: '{{pick red green blue}}', n: ['{{seq}}', 3, null] };

describe('load/template', () => {
  it('renders seq, int (as a number), uuid and pick deterministically for a seed', () => {
    const a = renderTemplate(tpl, { seq: 7, rng: rngFor(42, 'load-0', '7') }) as Record<string, unknown>;
    const b = renderTemplate(tpl, { seq: 7, rng: rngFor(42, 'load-0', '7') });
    expect(a).to.deep.equal(b);
    expect(a.sku).to.equal('A-7');
    expect(a.amount_cents).to.be.a('number').within(100, 5000);
    expect(a.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(['red', 'green', 'blue']).to.include(a.c);
    expect(a.n).to.deep.equal([7, 3, null]);
    const c = renderTemplate(tpl, { seq: 7, rng: rngFor(43, 'load-0', '7') }) as Record<string, unknown>;
    expect(c.id).to.not.equal(a.id);
  });

  it('keeps ints embedded in text as text and covers both ends of the range', () => {
    expect(renderTemplate('x{{int 1 1}}y', { seq: 0, rng: () => 0.3 })).to.equal('x1y');
    expect(renderTemplate('{{int 1 3}}', { seq: 0, rng: () => 0 })).to.equal(1);
    expect(renderTemplate('{{int 1 3}}', { seq: 0, rng: () => 0.9999 })).to.equal(3);
  });

  it('rejects unknown tokens and bad ranges with a ConfigError', () => {
    expect(() => checkTemplate({ a: '{{nope}}' })).to.throw(ConfigError, /unknown token/);
    expect(() => checkTemplate('{{int 5 1}}')).to.throw(ConfigError, /MIN ≤ MAX/);
    expect(seededUuid(rngFor(1, 'x', 'y'))).to.equal(seededUuid(rngFor(1, 'x', 'y')));
  });
});

describe('load/retry', () => {
  const policy = retryPolicy.parse({ attempts: 4, backoff: { base: '100ms', max: '1s' } });
  it('caps exponential backoff and applies full jitter from the rng', () => {
    expect(backoffMs({ ...policy, backoff: { ...policy.backoff, jitter: 'none' } }, 1, () => 0.5)).to.equal(100);
    expect(backoffMs({ ...policy, backoff: { ...policy.backoff, jitter: 'none' } }, 3, () => 0.5)).to.equal(400);
    expect(backoffMs({ ...policy, backoff: { ...policy.backoff, jitter: 'none' } }, 9, () => 0.5)).to.equal(1000);
    expect(backoffMs(policy, 2, () => 0.5)).to.equal(100);
  });
  it('retries only named kinds and never beyond the attempt bound', () => {
    expect(shouldRetry(policy, 1, { status: 503 })).to.equal(true);
    expect(shouldRetry(policy, 1, { status: 409 })).to.equal(true);
    expect(shouldRetry(policy, 1, { status: 429 })).to.equal(false);
    expect(shouldRetry(policy, 1, { status: 422 })).to.equal(false);
    expect(shouldRetry(policy, 1, { error: 'reset' })).to.equal(true);
    expect(shouldRetry(policy, 4, { status: 503 })).to.equal(false);
    expect(failureKind({ error: 'other' })).to.equal(undefined);
  });
});
