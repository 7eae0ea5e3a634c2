// The evidence rules of each check, decided on scripted answers (no sockets): what passes, what fails,
// and what stays inconclusive because it proves nothing.
import { expect } from 'chai';
import { CHECKS } from '../../../src/contract/checks';
import { createCheckContext, type CheckContext } from '../../../src/contract/context';
import type { Answer, Operation } from '../../../src/contract/types';

const OP: Operation = {
  id: 'POST /orders', method: 'POST', path: '/orders', pointer: '/paths/~1orders/post', keyRequired: true, marked: true, parameters: [],
  body: { mediaType: 'application/json', schema: { type: 'object' }, pointer: '' },
};

/** `identity` is the label; what is compared is the canonical value, here the label as a JSON string. */
const a = (status: number, identity?: string, replayedHeader = false): Answer =>
  ({ status, identity, identityValue: identity === undefined ? undefined : JSON.stringify(identity), replayedHeader, canonical: `${status}${identity}` });

/** Answers are handed out in order; the probe reads the scripted values in order. */
function ctx(answers: Answer[], probe?: number[], over: Partial<CheckContext> = {}): CheckContext & { sent: number; controls: number } {
  let i = 0;
  let p = 0;
  const c = {
    op: OP, concurrency: 3, learned: {} as { unit?: number }, sent: 0,
    key: (check: string) => `k-${check}`,
    request: () => ({ url: 'http://x/orders', headers: {}, body: { n: 1 } }),
    otherBody: () => ({ url: 'http://x/orders', headers: {}, body: { n: 2 } }),
    send: async () => {
      c.sent++;
      return answers[i++];
    },
    probe: probe ? { name: 'orders', keyed: false, read: async () => probe[p++], close: async () => undefined } : undefined,
    controls: 0,
    /** Another operation names another resource, unless a test says otherwise. */
    control: async (): Promise<Answer> => (c.controls++, a(201, 'id=control')),
    ...over,
  };
  return c;
}

describe('contract checks: evidence rules', () => {
  describe('sequential-duplicate', () => {
    const run = (c: CheckContext) => CHECKS['sequential-duplicate'](c);
    it('passes on the same identity (answers only) and on a probe that moved once', async () => {
      expect((await run(ctx([a(201, 'id=1'), a(201, 'id=1')]))).status).to.equal('pass');
      const c = ctx([a(201), a(201)], [10, 13, 13]);
      const r = await run(c);
      expect(r.status).to.equal('pass');
      expect(r.evidence).to.include.members(['probe orders: +3 on the 1st', 'probe orders: +0 on the 2nd']);
      expect(c.learned.unit).to.equal(3);
    });
    it('a stored replay that names fewer id fields names the same resource (the proxy compares alike)', async () => {
      const full: Answer = { status: 201, identity: 'order_id=5,payment_id=9', identityValue: '{"order_id":"5","payment_id":"9"}', replayedHeader: false, canonical: 'f' };
      const trimmed: Answer = { status: 200, identity: 'order_id=5', identityValue: '{"order_id":"5"}', replayedHeader: false, canonical: 't' };
      const other: Answer = { ...trimmed, identity: 'order_id=6', identityValue: '{"order_id":"6"}' };
      expect((await run(ctx([full, trimmed]))).status).to.equal('pass');
      expect((await run(ctx([full, other]))).summary).to.match(/^re-executed/);
      const conc = await CHECKS['concurrent-duplicate'](ctx([full, trimmed, trimmed]));
      expect([conc.status, conc.evidence[1]]).to.deep.equal(['pass', 'identities: order_id=5,payment_id=9']);
    });
    it('a replay may answer 200 where the first answered 201: same id, one side effect, pass', async () => {
      expect((await run(ctx([a(201, 'id=1'), a(200, 'id=1')]))).status).to.equal('pass');
      expect((await run(ctx([a(201), a(200)], [0, 1, 1]))).status).to.equal('pass');
      expect((await run(ctx([a(201), a(200)]))).status).to.equal('inconclusive');
    });
    it('fails on a new identity, on a probe that moved twice, on a different status', async () => {
      expect((await run(ctx([a(201, 'id=1'), a(201, 'id=2')]))).summary).to.match(/^re-executed/);
      expect((await run(ctx([a(201, 'id=1'), a(201, 'id=1')], [0, 1, 2]))).summary).to.equal('the duplicate executed again: probe orders grew by 1 on the second request');
      expect((await run(ctx([a(201, 'id=1'), a(409)]))).status).to.equal('fail');
    });
    it('identical answers without identity or probe prove nothing: inconclusive (a constant 204)', async () => {
      const r = await run(ctx([a(204), a(204)]));
      expect(r.status).to.equal('inconclusive');
      expect(r.summary).to.include('identical answers prove nothing');
    });
    it('an id another operation also gets is no identity: inconclusive; the control is sent only when the id alone decides', async () => {
      const shared = ctx([a(201, 'store=1'), a(201, 'store=1')], undefined, { control: async () => a(201, 'store=1') });
      const r = await run(shared);
      expect(r.status).to.equal('inconclusive');
      expect(r.summary).to.match(/^the answers name store=1, and so does another operation/);
      expect(r.evidence).to.include('control (another key and body): 201, store=1');
      const headed = ctx([a(201, 'store=1'), a(201, 'store=1', true)]);
      expect((await run(headed)).status).to.equal('pass');
      expect(headed.controls).to.equal(0);
      const own = ctx([a(201, 'id=1'), a(201, 'id=1')]);
      expect((await run(own)).status).to.equal('pass');
      expect(own.controls).to.equal(1);
    });
    it('a failing first request is inconclusive; a probe that never moves is inconclusive', async () => {
      expect((await run(ctx([a(400), a(400)]))).summary).to.match(/^the first request answered 400/);
      expect((await run(ctx([a(201), a(201)], [5, 5, 5]))).summary).to.match(/did not move on the first request/);
    });
  });

  describe('concurrent-duplicate', () => {
    const run = (c: CheckContext) => CHECKS['concurrent-duplicate'](c);
    it('passes: one execution by the probe (unit learned), or one success and the rest 409', async () => {
      const c = ctx([a(201, 'id=1'), a(409), a(201, 'id=1', true)], [0, 2]);
      c.learned.unit = 2;
      expect((await run(c)).status).to.equal('pass');
      expect((await run(ctx([a(201), a(409), a(409)]))).status).to.equal('pass');
    });
    it('fails: more executions than one by the probe, several identities, a 5xx', async () => {
      const c = ctx([a(201, 'id=1'), a(201, 'id=2'), a(201, 'id=3')], [0, 6]);
      c.learned.unit = 2;
      expect((await run(c)).summary).to.equal('3 executions for one key: probe orders grew by 6 (one execution is +2)');
      expect((await run(ctx([a(201, 'id=1'), a(201, 'id=2'), a(409)]))).summary).to.match(/^re-executed: 2 different resources/);
      expect((await run(ctx([a(201, 'id=1'), a(500), a(409)]))).status).to.equal('fail');
    });
    it('inconclusive: several successes naming an id another operation also gets', async () => {
      const same = async () => a(201, 'store=1');
      const r = await run(ctx([a(201, 'store=1'), a(201, 'store=1'), a(409)], undefined, { control: same }));
      expect(r.summary).to.match(/^2 successes name store=1, and so does another operation/);
      // Replay headers on all but one: the headers prove it, no control needed.
      const headed = ctx([a(201, 'store=1'), a(201, 'store=1', true), a(409)], undefined, { control: same });
      expect((await run(headed)).status).to.equal('pass');
      expect(headed.controls).to.equal(0);
    });
    it('inconclusive: several anonymous successes, nothing succeeded', async () => {
      expect((await run(ctx([a(204), a(204), a(204)]))).status).to.equal('inconclusive');
      expect((await run(ctx([a(409), a(409), a(409)]))).summary).to.match(/none of the 3 requests succeeded/);
    });
    it('sends exactly N requests', async () => {
      const c = ctx([a(201), a(409), a(409)]);
      await run(c);
      expect(c.sent).to.equal(3);
    });
  });

  describe('body-mismatch', () => {
    const run = (c: CheckContext) => CHECKS['body-mismatch'](c);
    it('passes on 422 or 400 with nothing written', async () => {
      expect((await run(ctx([a(201, 'id=1'), a(422)], [0, 1, 1]))).summary).to.equal('refused with 422, nothing written');
      expect((await run(ctx([a(201, 'id=1'), a(400)]))).status).to.equal('pass');
    });
    it('fails on a wrong replay, a re-execution, a refusal that still wrote', async () => {
      expect((await run(ctx([a(201, 'id=1'), a(201, 'id=1', true)]))).summary).to.match(/^wrong replay/);
      expect((await run(ctx([a(201, 'id=1'), a(201, 'id=2')]))).summary).to.match(/^re-executed/);
      expect((await run(ctx([a(201, 'id=1'), a(422)], [0, 1, 2]))).status).to.equal('fail');
      expect((await run(ctx([a(201, 'id=1'), a(409)]))).status).to.equal('fail');
    });
    it('does not apply without a body or with a schema that allows one body', async () => {
      expect((await run(ctx([], undefined, { op: { ...OP, body: undefined } }))).status).to.equal('not-applicable');
      expect((await run(ctx([], undefined, { otherBody: () => undefined }))).status).to.equal('not-applicable');
    });
  });

  describe('missing-key and store-down', () => {
    it('missing-key: 400 passes, anything else fails, optional keys do not apply', async () => {
      expect((await CHECKS['missing-key'](ctx([a(400)]))).status).to.equal('pass');
      expect((await CHECKS['missing-key'](ctx([a(201, 'id=9')]))).summary).to.match(/^answered 201 without a key/);
      expect((await CHECKS['missing-key'](ctx([], undefined, { op: { ...OP, keyRequired: false } }))).status).to.equal('not-applicable');
    });
    it('store-down: not applicable without a link; with one, the declared policy decides', async () => {
      expect((await CHECKS['store-down'](ctx([]))).status).to.equal('not-applicable');
      let down = 0;
      const link = { policy: 'fail-closed' as const, expectStatus: [503], outage: async <T>(f: () => Promise<T>) => { down++; return f(); } };
      expect((await CHECKS['store-down'](ctx([a(503)], undefined, { link }))).status).to.equal('pass');
      expect((await CHECKS['store-down'](ctx([a(201, 'id=1')], undefined, { link }))).status).to.equal('fail');
      expect(down).to.equal(2);
    });
  });
});

describe('contract keys', () => {
  it('are readable and unique per run and check; a uuid-format key header gets uuids', () => {
    const o = { baseUrl: 'http://x', seed: 1, file: 'f', runId: 'r1', concurrency: 5, keyHeader: 'Idempotency-Key', timeoutMs: 1000 };
    const plain = createCheckContext(OP, 0, undefined, o);
    expect(plain.key('sequential-duplicate')).to.equal('dt-r1-0-sequential-duplicate');
    const uuid = createCheckContext({ ...OP, keySchema: { type: 'string', format: 'uuid' } }, 0, undefined, o);
    const k = uuid.key('sequential-duplicate');
    expect(k).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuid.key('sequential-duplicate')).to.equal(k);
    expect(uuid.key('concurrent-duplicate')).to.not.equal(k);
    expect(createCheckContext({ ...OP, keySchema: { format: 'uuid' } }, 0, undefined, { ...o, runId: 'r2' }).key('sequential-duplicate')).to.not.equal(k);
  });
});
