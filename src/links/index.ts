// Starts the scenario's links, arms their windows at the start of the chaos window, restores them all on
// halt, and records every window (journal line `kind: link`, metrics, the list the verdict reads).
import type { ChaosContext } from '../chaos/context';
import type { LinkSpec } from '../scenario/schema-links';
import { TcpLink, type WindowRecord } from './link';
import { createLinkMetrics } from './metrics';

export interface RunningLinks {
  links: TcpLink[];
  /** Called when the chaos window starts: windows are timed from here. */
  arm(): void;
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
    for (const spec of specs) {
      const link = new TcpLink(spec, events);
      await link.listen();
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
    windows: () => [...records],
    close,
  };
}
