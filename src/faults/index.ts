// The fault map: kind → implementation. Add a fault by adding a file and a line here.
import type { HttpFaultKind } from '../scenario/schema-http';
import { burst } from './burst';
import { keyReuse } from './key-reuse';
import { lostReply } from './lost-reply';
import { replay } from './replay';
import { stripKey } from './strip-key';
import type { FaultDriver } from './types';

export const FAULTS: { readonly [K in HttpFaultKind]: FaultDriver<K> } = {
  replay,
  burst,
  'lost-reply': lostReply,
  'key-reuse': keyReuse,
  'strip-key': stripKey,
};

export function faultDriver(kind: HttpFaultKind): FaultDriver {
  return FAULTS[kind] as unknown as FaultDriver;
}

export { isNoCopy } from './types';
export type { CopyShape, FaultDriver, NoCopy, OriginalRequest } from './types';
export type { Answer, Judgement, VerifiedBy } from './answer';
