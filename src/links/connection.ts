// A client connection through a link: the accepted socket, the socket to the dependency, one Lane each way.
import net from 'node:net';
import { Lane } from './lane';

export class LinkedConnection {
  private readonly up: Lane;
  private readonly down: Lane;
  readonly upstream: net.Socket;
  private closed = false;

  constructor(readonly client: net.Socket, target: { host: string; port: number }, onClose: (c: LinkedConnection) => void) {
    this.upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    this.up = new Lane(client, this.upstream);
    this.down = new Lane(this.upstream, client);
    const finish = () => {
      if (this.closed || !client.destroyed || !this.upstream.destroyed) return;
      this.closed = true;
      this.up.stop();
      this.down.stop();
      onClose(this);
    };
    // An error, or a side that went away without a clean end, ends both: a dependency that vanished
    // looks the same to the client. A clean end lets the other lane deliver what it still holds.
    const follow = (from: net.Socket, other: net.Socket, lane: Lane) => {
      from.on('error', () => other.destroy());
      from.on('close', (hadError: boolean) => {
        if (hadError || !lane.sourceEnded) other.destroy();
        finish();
      });
    };
    follow(client, this.upstream, this.up);
    follow(this.upstream, client, this.down);
  }

  /** Both directions held: bytes accepted, none forwarded (TCP would retransmit across a blackhole). */
  hold(held: boolean): void {
    this.up.setHeld(held);
    this.down.setHeld(held);
  }

  delay(ms: number): void {
    this.up.setDelay(ms);
    this.down.setDelay(ms);
  }

  /** An RST to both ends, as a crashed peer or a firewall REJECT --reject-with tcp-reset would send. */
  reset(): void {
    if (this.closed) return;
    this.client.resetAndDestroy();
    this.upstream.resetAndDestroy();
  }
}
