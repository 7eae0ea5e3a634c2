// Exposes the shop's PGlite on a loopback port through @electric-sql/pglite-socket, so a probe can use
// a plain postgres:// URL. PGLiteSocketServer's own queue interleaves clients message by message and
// knows nothing of the shop's in-process queries, so we attach PGLiteSocketHandler to our own server
// with a queue that holds the shop's Mutex for a whole client exchange: from its first message until
// PGlite answers ReadyForQuery with status "I" (idle: the Sync/Query is done and no transaction is
// open). Several clients may connect; they take turns per exchange. A client that opens a transaction
// and idles blocks the shop: probes should connect for a snapshot and leave.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import type { Mutex } from './db';

class ExchangeQueue {
  private owner: number | null = null;
  private release: (() => void) | null = null;
  private readonly gone = new Set<number>();

  constructor(private readonly db: PGlite, private readonly mutex: Mutex) {}

  async enqueue(handlerId: number, message: Uint8Array, onData: (d: Uint8Array) => void): Promise<number> {
    if (this.owner !== handlerId) {
      const release = await this.mutex.acquire();
      if (this.gone.has(handlerId)) {
        release();
        throw new Error('client disconnected');
      }
      this.owner = handlerId;
      this.release = release;
    }
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message, { onRawData: (d) => { bytes += d.length; chunks.push(d); onData(d); } }),
      );
    } catch (err) {
      this.giveBack();
      throw err;
    }
    if (readyStatus(Buffer.concat(chunks)) === 'I') this.giveBack();
    return bytes;
  }

  clearQueueForHandler(handlerId: number): void {
    this.gone.add(handlerId);
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
    this.giveBack();
  }

  private giveBack(): void {
    const r = this.release;
    this.owner = null;
    this.release = null;
    r?.();
  }
}

/** Status byte of the last ReadyForQuery ('Z') in a backend output, or undefined when there is none. */
export function readyStatus(out: Buffer): string | undefined {
  let status: string | undefined;
  for (let i = 0; i + 5 <= out.length; ) {
    const type = out[i];
    const len = out.readInt32BE(i + 1);
    if (type === 0x5a && len === 5 && i + 6 <= out.length) status = String.fromCharCode(out[i + 5]);
    i += 1 + len;
  }
  return status;
}

export async function startPgliteSocket(
  db: PGlite, mutex: Mutex, opts: { host: string; port?: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const queue = new ExchangeQueue(db, mutex);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((sock) => {
    const h = new PGLiteSocketHandler({
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(h);
    h.addEventListener('close', () => handlers.delete(h));
    h.addEventListener('error', () => handlers.delete(h));
    h.attach(sock).catch(() => sock.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgres://postgres@${opts.host}:${port}/postgres?sslmode=disable`,
    async close() {
      for (const h of handlers) await h.detach(true);
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
