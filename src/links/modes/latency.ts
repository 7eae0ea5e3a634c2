// A slow dependency: every chunk waits latencyMs in each direction, order kept.
import type { CutMode } from './types';

export const latency: CutMode = {
  listening: true,
  apply: (conn, w) => conn.delay(w.latencyMs ?? 0),
};
