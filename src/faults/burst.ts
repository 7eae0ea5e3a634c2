// burst: K identical copies launched while the original is still in flight, each at a point within
// the overlap window after the original was sent: this is what finds check-then-insert races.
// The right answer: 409 while the original is in flight, or the stored response once it is done.
import { judgeDuplicate } from './answer';
import { cloneHeaders, type FaultDriver } from './types';

export const burst: FaultDriver<'burst'> = {
  kind: 'burst',
  clock: 'from-send',
  shape: (original) => ({ headers: cloneHeaders(original.headers), body: original.body }),
  judge: judgeDuplicate,
};
