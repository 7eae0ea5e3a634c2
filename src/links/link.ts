// One link: a TCP listener in front of a dependency. Outside windows it forwards bytes unchanged; during
// a window it applies a cut mode to every open and new connection; restore() ends the cut at once.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseHostPort } from '../scenario/durations';
import type { LinkSpec, LinkWindow } from '../scenario/schema-links';
import { LinkedConnection } from './connection';
import { CUT_MODES } from './modes';

export interface WindowRecord {
  link: string;
  window: number;
  mode: LinkWindow['mode'];
  start: string;
  end: string;
  /** Connections open at the start plus those that arrived during the window (refused ones are not seen). */
  connections: number;
  /** Set when halt/disarm/close ended the window before its time. */
  cutShort?: string;
}

export interface LinkEvents {
  onWindowStart(link: string, w: LinkWindow): void;
  onWindowEnd(record: WindowRecord): void;
  onError(link: string, message: string): void;
}

export class TcpLink {
  private server: net.Server | undefined;
  private readonly conns = new Set<LinkedConnection>();
  private readonly target: { host: string; port: number };
  private host = '127.0.0.1';
  private port = 0;
  private active: { index: number; w: LinkWindow; startMs: number; affected: number } | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(readonly spec: LinkSpec, private readonly events: LinkEvents) {
    this.target = parseHostPort(spec.target)!;
  }

  get address(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get open(): number {
    return this.conns.size;
  }

  get cut(): boolean {
    return this.active !== undefined;
  }

  async listen(): Promise<void> {
    const hp = parseHostPort(this.spec.listen)!;
    this.host = hp.host;
    this.port = await this.startServer(hp.host, this.port || hp.port);
  }

  /** Schedules every window relative to now (the start of the chaos window). */
  arm(): void {
    this.spec.windows.forEach((w, index) => {
      this.timers.push(setTimeout(() => this.begin(index, w), w.at));
      this.timers.push(setTimeout(() => void this.end(), w.at + w.for));
    });
  }

  /** Cancels future windows and ends the current one now: the link forwards again before this returns
   * (for refuse, the port listens again once the returned promise resolves). */
  async restore(reason?: string): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.end(reason);
  }

  async close(): Promise<void> {
    await this.restore('closed');
    for (const c of this.conns) c.reset();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private begin(index: number, w: LinkWindow): void {
    if (this.active) return; // windows of one link never overlap (validated); defensive
    const mode = CUT_MODES[w.mode];
    this.active = { index, w, startMs: Date.now(), affected: 0 };
    this.events.onWindowStart(this.spec.name, w);
    if (!mode.listening && this.server) {
      // Closing the listener makes the kernel refuse new connections (ECONNREFUSED), as a dead server does.
      this.server.close();
      this.server = undefined;
    }
    for (const c of this.conns) this.applyCut(c);
  }

  private applyCut(c: LinkedConnection): void {
    if (!this.active) return;
    this.active.affected += 1;
    CUT_MODES[this.active.w.mode].apply(c, { latencyMs: this.active.w.latency });
  }

  private async end(cutShort?: string): Promise<void> {
    const a = this.active;
    if (!a) return;
    this.active = undefined;
    for (const c of this.conns) {
      c.hold(false);
      c.delay(0);
    }
    const record: WindowRecord = {
      link: this.spec.name, window: a.index, mode: a.w.mode, start: new Date(a.startMs).toISOString(),
      end: new Date().toISOString(), connections: a.affected, ...(cutShort ? { cutShort } : {}),
    };
    this.events.onWindowEnd(record);
    if (!this.server) await this.relisten();
  }

  /** After refuse: bind the same port again. Someone else may have taken it meanwhile: retry, then report. */
  private async relisten(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startServer(this.host, this.port);
        return;
      } catch (err) {
        if (attempt >= 20) return this.events.onError(this.spec.name, `cannot listen on ${this.address} again: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private async startServer(host: string, port: number): Promise<number> {
    const server = net.createServer({ allowHalfOpen: true }, (client) => {
      const conn = new LinkedConnection(client, this.target, (c) => this.conns.delete(c));
      this.conns.add(conn);
      this.applyCut(conn);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }
}
