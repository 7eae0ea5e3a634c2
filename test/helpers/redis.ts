// The real Redis on 127.0.0.1:6379 for tests. Started once if it is down (as scripts/provision.sh does);
// if it still does not answer, the test FAILS (never skips).
import { execSync } from 'node:child_process';
import net from 'node:net';

export const REDIS = { host: '127.0.0.1', port: 6379 };
export const REDIS_ADDRESS = `${REDIS.host}:${REDIS.port}`;

const START = 'mkdir -p /var/lib/redis /var/log/redis && redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(REDIS, () => s.write('PING\r\n'));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('+PONG'))));
    s.once('error', () => resolve(false));
  });
}

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
