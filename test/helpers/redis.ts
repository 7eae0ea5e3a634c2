// The real Redis on 127.0.0.1:6379 for tests. Started once if it is down (as scripts/provision.sh does);
// if it still does not answer, the test FAILS (never skips).
import { execSync } from 'node:child_process';
import net from 'node:net';

export const REDIS = { host: '127.0.0.1', port: 6379 };
export const REDIS_ADDRESS = `${REDIS.host}:${REDIS.port}`;

const START = 'mkdir -p /var/lib/redis /var/log/redis && redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

/**
 * Opens a new connection to HOST:PORT and sends a Redis PING: '+PONG', or what went wrong
 * ('ECONNREFUSED', 'ECONNRESET', 'timeout' after 800 ms, 'closed').
 */
export function pingThrough(address: string): Promise<string> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const s = net.connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) }, () => s.write('PING\r\n'));
    s.setTimeout(800, () => (s.destroy(), resolve('timeout')));
    s.once('data', (d) => (s.destroy(), resolve(d.toString().trim())));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    s.once('close', () => resolve('closed'));
  });
}

const ping = async () => (await pingThrough(REDIS_ADDRESS)) === '+PONG';

export async function ensureRedis(): Promise<void> {
  if (await ping()) return;
  try {
    execSync(START, { stdio: 'ignore', timeout: 15_000, shell: '/bin/bash' });
  } catch {
    // reported below
  }
  for (let i = 0; i < 40; i++) {
    if (await ping()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Redis is not answering on ${REDIS_ADDRESS} (run scripts/provision.sh)`);
}
