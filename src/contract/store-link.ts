// Check 5's outage: a TcpLink (src/links) in front of the dedup store. The service is pointed at the
// link's listen address; for each store-down check the link refuses and resets every connection, and is
// restored before the next check.
import { TcpLink } from '../links/link';
import type { ContractLink } from './context';

export type StoreDownPolicy = 'fail-closed' | 'fail-open';

const HOUR = 3_600_000;

export async function startStoreLink(listen: string, target: string, policy: StoreDownPolicy): Promise<ContractLink & { close(): Promise<void> }> {
  const noop = (): void => undefined;
  const link = new TcpLink(
    { name: 'dedup-store', listen, target, windows: [{ at: 0, for: HOUR, mode: 'refuse' }] },
    { onWindowStart: noop, onWindowEnd: noop, onError: noop },
  );
  await link.listen();
  return {
    policy,
    // fail-closed: an error and no side effect; fail-open: the request succeeds without dedup.
    expectStatus: policy === 'fail-closed' ? [500, 502, 503, 504] : [200, 201, 202, 204],
    async outage(during) {
      link.arm(); // the one window starts now (at: 0)
      while (!link.cut) await new Promise((r) => setTimeout(r, 5));
      try {
        return await during();
      } finally {
        await link.restore('store-down check done');
      }
    },
    close: () => link.close(),
  };
}
