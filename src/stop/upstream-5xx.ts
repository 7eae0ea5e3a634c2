// The upstream's 5xx ratio over the last interval, as the proxy saw the originals. Needs no monitoring
// stack: the proxy is in the path. Intervals with fewer than minRequests originals are not judged.
import type { UpstreamStop } from '../scenario/schema-gate';
import { aboveOrBelow } from './thresholds';
import type { StopDeps, StopSource, UpstreamCounts } from './types';

export function upstream5xxStop(c: UpstreamStop, deps: StopDeps): StopSource {
  let last: UpstreamCounts | undefined;
  return {
    name: c.name,
    async read() {
      const now = await deps.upstreamCounts();
      const prev = last ?? { originals: 0, errors5xx: 0 };
      last = now;
      const originals = now.originals - prev.originals;
      if (originals < c.upstream5xx.minRequests) return undefined;
      return Math.round(((now.errors5xx - prev.errors5xx) / originals) * 10_000) / 10_000;
    },
    trips: (v) => aboveOrBelow(v, c.above, undefined),
    close: async () => {},
  };
}

/** Counts a journal's HTTP originals and their 5xx answers (an original with no status is a 5xx-like failure: the upstream did not answer). */
export function countUpstream(counts: UpstreamCounts) {
  return (e: { kind: string; relay?: string; status?: number; error?: string }): void => {
    if (e.kind !== 'original' || e.relay !== undefined) return;
    counts.originals += 1;
    if (e.status === undefined ? e.error !== undefined : e.status >= 500) counts.errors5xx += 1;
  };
}
