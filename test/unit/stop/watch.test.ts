// The stop watch without sockets: sources are scripted; what matters is when it halts and why.
import { expect } from 'chai';
import { HaltSwitch } from '../../../src/chaos/halt';
import { Journal } from '../../../src/journal/writer';
import { silentLogger } from '../../../src/log';
import { upstream5xxStop } from '../../../src/stop/upstream-5xx';
import type { StopSource } from '../../../src/stop/types';
import { StopWatch } from '../../../src/stop/watch';

/** A source that returns the scripted values in order (an Error is thrown: unreadable). */
function scripted(name: string, values: Array<number | undefined | Error>, threshold = 10): StopSource {
  let i = 0;
  return {
    name,
    read: async () => {
      const v = values[Math.min(i++, values.length - 1)];
      if (v instanceof Error) throw v;
      return v;
    },
    trips: (v) => (v > threshold ? `${v} above ${threshold}` : undefined),
    close: async () => {},
  };
}

function watch(sources: StopSource[], unreadableLimit = 3) {
  const halt = new HaltSwitch();
  const journal = new Journal();
  const lines: Array<{ kind?: string; event?: string; detail?: string }> = [];
  journal.watchers.push((e) => lines.push(e));
  return { halt, lines, w: new StopWatch(sources, { intervalMs: 1, unreadableLimit, halt, journal, logger: silentLogger() }) };
}

describe('StopWatch', () => {
  it('halts on the first trip with the condition and its value, journaled before the halt', async () => {
    const { halt, lines, w } = watch([scripted('errors', [1, 2, 11, 50])]);
    for (let i = 0; i < 4; i++) await w.evaluate();
    expect(halt.reason).to.equal('stop condition errors: 11 above 10');
    expect(lines.map((l) => [l.kind, l.event, l.detail])).to.deep.equal([['audit', 'stop', 'stop condition errors: 11 above 10']]);
  });

  it('halts after N unreadable intervals in a row; a readable one (even not judged) resets the count', async () => {
    const boom = new Error('ECONNREFUSED');
    const { halt, w } = watch([scripted('prom', [boom, boom, undefined, boom, boom, boom])]);
    for (let i = 0; i < 5; i++) await w.evaluate();
    expect(halt.halted).to.equal(false);
    await w.evaluate();
    expect(halt.reason).to.equal('stop condition prom unreadable 3 intervals in a row (fail closed): ECONNREFUSED');
  });

  it('upstream5xx judges each interval on its own, and not below minRequests', async () => {
    const counts = { originals: 0, errors5xx: 0 };
    const s = upstream5xxStop({ name: 'u', upstream5xx: { minRequests: 10 }, above: 0.5 }, { env: {}, upstreamCounts: () => ({ ...counts }) });
    counts.originals = 5;
    counts.errors5xx = 5;
    expect(await s.read()).to.equal(undefined); // 5 originals: not judged
    counts.originals = 105;
    counts.errors5xx = 25;
    expect(await s.read()).to.equal(0.2); // 20 of the last 100
    expect(s.trips(0.2)).to.equal(undefined);
    expect(s.trips(0.6)).to.equal('0.6 above 0.5');
  });
});
