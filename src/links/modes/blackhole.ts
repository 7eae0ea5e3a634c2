// A partition: connections are accepted, nothing is forwarded either way, no error is sent. Clients see
// only their own timeouts. Bytes are held, not dropped, so connections that survive the window carry on
// (as TCP retransmission would across a healed partition).
import type { CutMode } from './types';

export const blackhole: CutMode = {
  listening: true,
  apply: (conn) => conn.hold(true),
};
