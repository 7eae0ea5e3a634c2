// Starts the scenario's links, arms their windows at the start of the chaos window, restores them all on
// halt, and records every window (journal line `kind: link`, metrics, the list the verdict reads).
import net from 'node:net';
import type { ChaosContext } from '../chaos/context';
import { ConfigError, UnreachableError, messageOf } from '../errors';
import { parseHostPort } from '../scenario/durations';
import type { LinkSpec } from '../scenario/schema-links';
import { TcpLink, type WindowRecord } from './link';
import { createLinkMetrics } from './metrics';

export interface RunningLinks {
  links: TcpLink[];
  /** Called when the chaos window starts: windows are timed from here. */
  arm(): void;
  /** Ends every cut now and cancels the windows still to come (halt does this; so can a disarm). */
  restore(reason: string): Promise<void>;
  /** Every window that ended so far (also the ones a halt cut short). */
  windows(): WindowRecord[];
  close(): Promise<void>;
}

export type { WindowRecord } from './link';

export async function startLinks(specs: readonly LinkSpec[], ctx: Pick<ChaosContext, 'journal' | 'halt' | 'metrics' | 'logger'>): Promise<RunningLinks> {
  const metrics = createLinkMetrics(ctx.metrics.registry);
  const records: WindowRecord[] = [];
  const events = {
    onWindowStart: (link: string, w: LinkSpec['windows'][number]) => {
      metrics.windows.inc({ link, mode: w.mode });
      metrics.down.set({ link }, 1);
      ctx.logger.info('link cut', { link, mode: w.mode });
    },
    onWindowEnd: (r: WindowRecord) => {
      records.push(r);
      metrics.affected.inc({ link: r.link, mode: r.mode }, r.connections);
      metrics.down.set({ link: r.link }, 0);
      ctx.journal.write({ kind: 'link', id: `l-${r.link}-${r.window}`, ...r });
      ctx.logger.info('link restored', { link: r.link, mode: r.mode, connections: r.connections, cutShort: r.cutShort });
    },
    onError: (link: string, message: string) => ctx.logger.error('link broken', { link, error: message }),
  };
  const links: TcpLink[] = [];
  const close = async () => {
    ctx.halt.off('halt', onHalt);
    for (const l of links) await l.close();
  };
  // Halt and disarm restore every link at once: the service gets its dependency back before the run ends.
  const onHalt = (reason: string) => links.forEach((l) => void l.restore(`halt: ${reason}`));
  ctx.halt.on('halt', onHalt);
  try {
    for (const [i, spec] of specs.entries()) {
      await reachable(spec.target, `links[${i}].target (${spec.name})`);
      const link = new TcpLink(spec, events);
      await link.listen().catch((err) => {
        throw new ConfigError([`links[${i}].listen: cannot listen on ${spec.listen}: ${messageOf(err)}`]);
      });
      links.push(link);
      for (const w of spec.windows) metrics.windows.inc({ link: spec.name, mode: w.mode }, 0);
      metrics.down.set({ link: spec.name }, 0);
      ctx.logger.info('link listening', { link: spec.name, listen: link.address, target: spec.target });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    links,
    arm: () => (ctx.halt.halted ? undefined : links.forEach((l) => l.arm())),
    restore: async (reason) => void (await Promise.all(links.map((l) => l.restore(reason)))),
    windows: () => [...records],
    close,
  };
}

/** The dependency must answer before the run starts: an outage we did not cause proves nothing. */
async function reachable(target: string, what: string): Promise<void> {
  const { host, port } = parseHostPort(target)!;
  await new Promise<void>((resolve, reject) => {
    const s = net.connect({ host, port });
    s.setTimeout(5000, () => s.destroy(new Error('no answer within 5 s')));
    s.once('connect', () => (s.destroy(), resolve()));
    s.once('error', (err) => reject(new UnreachableError(`${what} ${target}`, messageOf(err))));
  });
}
