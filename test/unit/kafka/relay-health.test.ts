// RelayHealth without I/O: the states /healthz and /status report, and when a stall becomes a failure.
import { expect } from 'chai';
import { RelayHealth } from '../../../src/kafka/relay-health';
import { silentLogger } from '../../../src/log';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kafka RelayHealth', () => {
  it('starting is healthy; silence past stallMs is stalled (unhealthy); past failAfterMs it fails once', async () => {
    const h = new RelayHealth('r', silentLogger(), { stallMs: 40, failAfterMs: 80 });
    const failures: string[] = [];
    h.on('failed', (r: string) => failures.push(r));
    expect(h.snapshot().state).to.equal('starting');
    expect(h.healthy).to.equal(true);
    await sleep(60);
    h.watch();
    expect(h.snapshot()).to.include({ state: 'stalled' });
    expect(h.healthy).to.equal(false);
    await sleep(100);
    h.watch();
    h.watch();
    expect(h.snapshot().state).to.equal('failed');
    expect(failures).to.have.length(1);
    expect(failures[0]).to.match(/^stalled for \d+ s: no fetch, heartbeat or join/);
    h.stopping();
  });

  it('a failure is final: closing afterwards does not turn it into stopped, and it is reported once', () => {
    const h = new RelayHealth('r', silentLogger());
    let n = 0;
    h.on('failed', () => (n += 1));
    h.fail('producer disconnected');
    h.fail('consumer disconnected');
    h.stopping();
    expect(h.snapshot()).to.include({ state: 'failed', reason: 'producer disconnected' });
    expect(h.failure).to.equal('producer disconnected');
    expect(n).to.equal(1);
  });

  it('paused (maxPending) is healthy and reported as such', () => {
    const h = new RelayHealth('r', silentLogger());
    h.setPaused(true);
    expect(h.snapshot().state).to.equal('paused');
    expect(h.healthy).to.equal(true);
    h.stopping();
    expect(h.snapshot().state).to.equal('stopped');
  });
});
