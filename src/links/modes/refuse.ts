// The dependency is down: its port refuses connections and the open ones are reset (the process died).
import type { CutMode } from './types';

export const refuse: CutMode = {
  listening: false,
  apply: (conn) => conn.reset(),
};
