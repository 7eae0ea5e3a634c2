// What a standing proxy keeps of one arming: the journal lines written while it was armed (for the
// arming run to collect, in pages it acknowledges, so memory stays bounded), and the originals' 5xx
// counts its stop condition reads. Lines get a timestamp here: watchers see entries before write() does.
import type { Arming } from '../chaos/arming';
import { audit } from '../gate/audit';
import type { JournalEntry } from '../journal/types';
import type { Journal } from '../journal/writer';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { countUpstream } from '../stop/upstream-5xx';
import type { UpstreamCounts } from '../stop/types';

/** Lines kept for collection at most; beyond this, lines are dropped and the page says so. */
const MAX_KEPT = 200_000;

export class ArmingSession {
  runId: string | undefined;
  /** True from arm to disarm (lines are kept only then). */
  recording = false;
  counts: UpstreamCounts = { originals: 0, errors5xx: 0 };
  dropped = 0;
  private lines: JournalEntry[] = [];
  /** Index (in the whole session) of lines[0]. */
  private base = 0;
  private count = countUpstream(this.counts);

  constructor(arming: Arming, journal: Journal, metrics: Metrics, logger: Logger, readonly replica: string) {
    journal.watchers.push((e) => {
      if (!this.recording) return;
      this.count(e);
      if (this.lines.length >= MAX_KEPT) this.dropped += 1;
      else this.lines.push({ ts: new Date().toISOString(), ...e } as JournalEntry);
    });
    arming.on('arm', (state: { runId: string; who?: string; windowEndMs: number }) => {
      this.runId = state.runId;
      this.counts = { originals: 0, errors5xx: 0 };
      this.count = countUpstream(this.counts);
      this.lines = [];
      this.base = 0;
      this.dropped = 0;
      this.recording = true;
      metrics.armed.set(1);
      audit(journal, 'arm', { who: state.who, detail: `run ${state.runId} armed ${replica} until ${new Date(state.windowEndMs).toISOString()}` });
      logger.warn('armed', { run: state.runId, who: state.who, replica });
    });
    arming.on('disarm', (state: { runId: string; who?: string }, reason: string) => {
      audit(journal, 'disarm', { who: state.who, detail: `run ${state.runId} disarmed ${replica}: ${reason}` });
      this.recording = false;
      metrics.armed.set(0);
      logger.warn('disarmed', { run: state.runId, replica, reason });
    });
    metrics.armed.set(0);
  }

  /** Lines from `from` on (at most `limit`); lines before `from` were collected and are forgotten. */
  page(from: number, limit: number): { lines: JournalEntry[]; next: number; dropped: number } {
    if (from > this.base) {
      const drop = Math.min(from - this.base, this.lines.length);
      this.lines.splice(0, drop);
      this.base += drop;
    }
    const start = Math.max(0, from - this.base);
    const lines = this.lines.slice(start, start + limit);
    return { lines, next: this.base + start + lines.length, dropped: this.dropped };
  }
}
