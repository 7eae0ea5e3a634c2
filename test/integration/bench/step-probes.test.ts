// The bench probes (`cost-by-fraction --fractions 0,0.01:PROBE`) cut or add one part of the copy path; docs/benchmarks.md reads their
// numbers as "copies without the request", "copies on node:http", "no copies after halt", "undici
// traffic alone". Each claim is counted here at the upstream: what reached it, and what the journal
// says the copies were. (Their cost is not asserted: that is the bench's job, not a test's.)
import { expect } from 'chai';
import { replayRules } from '../../../bench/lib/options';
import { sleep, startDoubletap, startTs, type Child } from '../../../bench/lib/proc';

interface UpstreamStats { requests: number }
interface ProxyStats { pending: number; calibrationCalls: number; totals: { originals: number; picked: number; copies: number; outcomes: Record<string, number> } }

const post = (url: string, key: string) =>
  fetch(url + '/orders', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: '{"amount":1}' }).then((r) => r.text());

describe('bench step probes (bench/servers/probes.ts)', function () {
  this.timeout(60_000);
  let upstream: Child;
  before(async () => {
    upstream = await startTs('bench/servers/upstream.ts');
  });
  after(async () => upstream?.stop());

  /** A proxy at `fraction` with `probe`; `act` runs against it; returns what reached the upstream. */
  async function withProxy(fraction: number, probe: string, act: (p: Child) => Promise<void>): Promise<{ upstream: number; proxy: ProxyStats }> {
    const p = await startDoubletap(upstream.url, replayRules(fraction), probe ? ['--probe', probe] : []);
    try {
      const before = (await upstream.ask<UpstreamStats>('stats')).requests;
      await act(p);
      await sleep(300); // copies go out after their originals' answers
      return { upstream: (await upstream.ask<UpstreamStats>('stats')).requests - before, proxy: await p.ask<ProxyStats>('stats') };
    } finally {
      await p.stop();
    }
  }

  const twenty = (tag: string) => async (p: Child) => {
    for (let i = 0; i < 20; i++) await post(p.url, `${tag}-${i}`);
  };

  it('unchanged: 20 originals at fraction 1 reach the upstream twice each', async () => {
    const r = await withProxy(1, '', twenty('real'));
    expect(r.upstream).to.equal(40);
    expect(r.proxy.totals.copies).to.equal(20);
  });

  it('http-send: the copies reach the upstream on node:http, none of them an error', async () => {
    const r = await withProxy(1, 'http-send', twenty('http'));
    expect(r.upstream).to.equal(40);
    expect(r.proxy.totals.copies).to.equal(20);
    expect(r.proxy.totals.outcomes.error).to.equal(0);
  });

  it('corked-copies: 20 originals at once, their copies pipelined and corked, each reaches the upstream, none an error', async () => {
    const r = await withProxy(1, 'corked-copies', async (p) => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => post(p.url, `corked-${i}`)));
    });
    expect(r.upstream).to.equal(40);
    expect(r.proxy.totals.copies).to.equal(20);
    expect(r.proxy.totals.outcomes.error).to.equal(0);
    expect(r.proxy.pending).to.equal(0);
  });

  it('fake-send: copies are planned, answered and journaled, and none reaches the upstream', async () => {
    const r = await withProxy(1, 'fake-send', twenty('fake'));
    expect(r.upstream).to.equal(20);
    expect(r.proxy.totals.copies).to.equal(20);
  });

  it('no-plan: every original is picked and read, and no copy is planned, pending or sent', async () => {
    const r = await withProxy(1, 'no-plan', twenty('no-plan'));
    expect(r.upstream).to.equal(20);
    expect(r.proxy.totals.originals).to.equal(20);
    expect(r.proxy.totals.picked).to.equal(20);
    expect(r.proxy.totals.copies).to.equal(0);
    expect(r.proxy.pending).to.equal(0);
  });

  it('retry-memory=N: the client-retry memory holds N keys (0: none), so a retry of a forgotten key is copied again', async () => {
    const keys = (...ks: string[]) => async (p: Child) => {
      for (const k of ks) await post(p.url, k);
    };
    // a, b, a: the real memory knows the second a as the client's retry (not copied); one key's worth forgets it.
    const real = await withProxy(1, '', keys('m-a', 'm-b', 'm-a'));
    const one = await withProxy(1, 'retry-memory=1', keys('m-a', 'm-b', 'm-a'));
    const none = await withProxy(1, 'retry-memory=0', keys('m-a', 'm-a'));
    expect([real.upstream, real.proxy.totals.copies]).to.deep.equal([5, 2]);
    expect([one.upstream, one.proxy.totals.copies]).to.deep.equal([6, 3]);
    expect([none.upstream, none.proxy.totals.copies]).to.deep.equal([4, 2]);
  });

  it('halt: once the harness sends halt, originals still go through and no copy is sent', async () => {
    const r = await withProxy(1, 'halt', async (p) => {
      p.proc.send({ cmd: 'halt' });
      await sleep(100);
      await twenty('halt')(p);
    });
    expect(r.upstream).to.equal(20);
    expect(r.proxy.totals.originals).to.equal(20);
    expect(r.proxy.totals.outcomes.replayed + r.proxy.totals.outcomes.unverified).to.equal(0);
  });

  for (const probe of ['undici-timer', 'client-timer']) {
    it(`${probe}: a proxy that copies nothing sends the timer's own requests, about one per period`, async () => {
      // 700 ms here + the 300 ms settle: 1 s of a 20 ms timer is at most 50 (fewer when the machine is busy).
      const r = await withProxy(0, `${probe}=20`, async () => { await sleep(700); });
      expect(r.upstream).to.be.within(30, 51);
      expect(r.proxy.totals.copies).to.equal(0);
    });
  }

  it('compute and scatter (calibration): each matched request pays them once, and the traffic is unchanged', async () => {
    const r = await withProxy(0, 'compute=1000+scatter=16x4', twenty('calibrate'));
    expect(r.upstream).to.equal(20);
    expect(r.proxy.calibrationCalls).to.equal(20);
    expect(r.proxy.totals.originals).to.equal(20);
    expect(r.proxy.totals.copies).to.equal(0);
    const plain = await withProxy(0, '', twenty('uncalibrated'));
    expect(plain.proxy.calibrationCalls).to.equal(0);
  });

  /** The error a proxy with `probe` fails to start with (undefined if it starts). */
  async function startError(probe: string): Promise<string | undefined> {
    try {
      await withProxy(0, probe, async () => {});
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  it('a calibration probe without its size stops the proxy with what it expected', async () => {
    expect(await startError('scatter=16')).to.match(/scatter=16: expected READSxMIB/);
  });

  it('an unknown probe stops the proxy with its name', async () => {
    expect(await startError('no-such-probe')).to.match(/unknown probe no-such-probe/);
  });
});
