// replay: the same request again, byte for byte, after the original's response (each copy delayed).
// The right answer: the stored response (replay header or the same resource), or a refusal.
import { judgeDuplicate } from './answer';
import { cloneHeaders, type FaultDriver } from './types';

export const replay: FaultDriver<'replay'> = {
  kind: 'replay',
  clock: 'after-response',
  shape: (original) => ({ headers: cloneHeaders(original.headers), body: original.body }),
  judge: judgeDuplicate,
};
