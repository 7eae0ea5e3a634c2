// burst: K identical copies launched while the original is still in flight, each at a point within
// the overlap window after the original was sent: this is what finds check-then-insert races.
import { cloneHeaders, type FaultDriver } from './types';

export const burst: FaultDriver<'burst'> = {
  kind: 'burst',
  clock: 'from-send',
  shape: (original) => ({ headers: cloneHeaders(original.headers), body: original.body }),
};
