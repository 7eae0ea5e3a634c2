// One real Kafka broker per mocha process, started lazily through scripts/kafka.sh (same Java start
// logic as `npm run kafka -- up`) with its own state dir; restart() keeps the data dir and the port.
// KAFKA_BROKERS=HOST:PORT[,…] uses an existing broker instead (restart() then fails: not ours).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface TestBroker {
  brokers: string[];
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const SCRIPT = resolve(__dirname, '../../scripts/kafka.sh');
let current: Promise<TestBroker> | undefined;
let stateDir: string | undefined;
/** Wall time of this process's first broker start (ms), for reports. */
export let firstStartMs: number | undefined;

function script(cmd: 'up' | 'down', dir: string): Promise<string> {
  return new Promise((ok, fail) => {
    execFile('bash', [SCRIPT, cmd], { env: { ...process.env, KAFKA_STATE_DIR: dir }, timeout: 180_000 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`scripts/kafka.sh ${cmd} failed: ${err.message}\n${stderr}`));
      else ok(stdout);
    });
  });
}

function pidOf(dir: string): number | undefined {
  try {
    const m = /^pid=(\d+)$/m.exec(readFileSync(join(dir, 'state'), 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function start(): Promise<TestBroker> {
  if (process.env.KAFKA_BROKERS) {
    const brokers = process.env.KAFKA_BROKERS.split(',');
    const notOurs = () => Promise.reject(new Error('KAFKA_BROKERS is set: the broker is not ours to restart or stop'));
    return { brokers, restart: notOurs, stop: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'doubletap-kafka-'));
  stateDir = dir;
  const t0 = Date.now();
  const out = await script('up', dir);
  firstStartMs ??= Date.now() - t0;
  const m = /bootstrap (\S+)/.exec(out);
  if (!m) throw new Error(`scripts/kafka.sh up printed no bootstrap line: ${out}`);
  return {
    brokers: [m[1]],
    restart: async () => {
      await script('down', dir);
      await script('up', dir);
    },
    stop: async () => {
      await script('down', dir);
    },
  };
}

/** The broker for this mocha process; a start failure rejects (tests fail with the reason). */
export function ensureBroker(): Promise<TestBroker> {
  current ??= start();
  return current;
}

/** Root hook: stop the broker this process started, and remove its data. */
export async function stopBrokerIfStarted(): Promise<void> {
  if (!current) return;
  const b = await current.catch(() => undefined);
  current = undefined;
  await b?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
}

// If mocha dies without its hooks, do not leave a JVM behind.
process.on('exit', () => {
  const pid = stateDir ? pidOf(stateDir) : undefined;
  if (pid) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

let topicSeq = 0;
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++topicSeq}`;
}
