// Connections are accepted and reset at once, open ones too (a crash-looping peer, a tcp-reset firewall).
import type { CutMode } from './types';

export const reset: CutMode = {
  listening: true,
  apply: (conn) => conn.reset(),
};
