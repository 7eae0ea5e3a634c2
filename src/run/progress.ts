// One status line for people at a terminal: copies sent, outcomes so far, time left.
import type { Tally } from '../journal/tally';
import { formatDuration } from '../scenario/durations';

export interface ProgressLine {
  update(phase: string, msLeft: number): void;
  done(): void;
}

export function createProgress(enabled: boolean, tally: Tally, out: NodeJS.WriteStream = process.stdout): ProgressLine {
  if (!enabled) return { update() {}, done() {} };
  let drawn = false;
  let lastPlainMs = 0;
  return {
    update(phase, msLeft) {
      // Not a terminal (--pretty into a log): a plain line every few seconds instead of redrawing.
      if (!out.isTTY && Date.now() - lastPlainMs < 3000) return;
      const t = tally.totals();
      const outcomes = Object.entries(t.outcomes)
        .filter(([, n]) => n > 0)
        .map(([o, n]) => `${o} ${n}`)
        .join(', ');
      const line = `${phase.padEnd(8)} ${formatDuration(Math.max(0, msLeft)).padStart(6)} left | ops ${t.ops} | originals ${t.originals} | copies ${t.copies}${outcomes ? ` (${outcomes})` : ''}`;
      if (out.isTTY) {
        out.write(`\r\x1b[2K${line.slice(0, (out.columns || 120) - 1)}`);
        drawn = true;
      } else {
        out.write(line + '\n');
        lastPlainMs = Date.now();
      }
    },
    done() {
      if (drawn) out.write('\n');
    },
  };
}
