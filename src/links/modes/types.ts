// What a cut mode does during its window; the link applies it, restores afterwards and counts.
import type { LinkedConnection } from '../connection';

export interface WindowSettings {
  /** Extra one-way delay for the latency mode (ms). */
  latencyMs?: number;
}

export interface CutMode {
  /** false: the port is closed for the window, so new connections are refused by the kernel. */
  listening: boolean;
  /** Applied to every connection open when the window starts and every one accepted during it. */
  apply(conn: LinkedConnection, w: WindowSettings): void;
}
