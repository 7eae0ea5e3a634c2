// Drives Apache Kafka's Java client (java/RawHeaders.java, run from the broker's jars) to produce and
// read records with an exact header sequence: an independent reference, not the code under test.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const LIBS = resolve(ROOT, '.cache/kafka', `libs-${process.env.KAFKA_VERSION ?? '3.9.1'}`, '*');
const SOURCE = resolve(__dirname, 'java/RawHeaders.java');

export interface RawRecord {
  partition?: number;
  timestamp?: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
}

export interface ReadRawRecord extends RawRecord {
  partition: number;
  offset: string;
  timestamp: string;
}

const hex = (b: Buffer | null) => (b === null ? '-' : b.length === 0 ? '' : b.toString('hex'));
const unhex = (s: string) => (s === '-' ? null : Buffer.from(s, 'hex'));

function run(cmd: string, args: string[], input: string, timeoutMs: number): Promise<string> {
  return new Promise((ok, fail) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${cmd} ${args.at(-4) ?? ''} failed: ${err.message}\n${stderr.slice(-2000)}`));
      else ok(stdout);
    });
    child.stdin?.end(input);
  });
}

let compiled: Promise<string> | undefined;

/** Compiled once per source version (javac is most of a single-file launch on a loaded machine). */
function classes(): Promise<string> {
  const dir = join(tmpdir(), `doubletap-rawheaders-${statSync(SOURCE).mtimeMs}`);
  compiled ??= existsSync(join(dir, 'RawHeaders.class')) ? Promise.resolve(dir) : run('javac', ['-cp', LIBS, '-d', dir, SOURCE], '', 180_000).then(() => dir);
  return compiled;
}

async function java(args: string[], input: string, timeoutMs: number): Promise<string> {
  const dir = await classes();
  return run('java', ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-Dlog4j.configuration=file:/dev/null', '-cp', `${dir}:${LIBS}`, 'RawHeaders', ...args], input, timeoutMs);
}

/** Empty values cannot be written as "" on one space-separated line: the Java side reads "" as empty. */
const field = (b: Buffer | null) => (b !== null && b.length === 0 ? '' : hex(b));

export async function produceRaw(brokers: string[], topic: string, records: RawRecord[]): Promise<void> {
  const lines = records.map((r) =>
    [r.partition ?? '-', r.timestamp ?? '-', field(r.key), field(r.value), ...r.headers.map(([k, v]) => `${Buffer.from(k).toString('hex')}=${field(v)}`)].join(' '),
  );
  await java(['produce', brokers[0], topic], lines.join('\n') + '\n', 120_000);
}

export async function readRaw(brokers: string[], topic: string, count: number, timeoutMs = 30_000): Promise<ReadRawRecord[]> {
  const out = await java(['consume', brokers[0], topic, String(count), String(timeoutMs)], '', timeoutMs + 60_000);
  return out.split('\n').filter(Boolean).map((line) => {
    const [partition, offset, timestamp, key, value, ...hs] = line.split(' ');
    const headers = hs.map((h): [string, Buffer | null] => {
      const [k, v] = h.split('=');
      return [Buffer.from(k, 'hex').toString('utf8'), unhex(v)];
    });
    return { partition: Number(partition), offset, timestamp, key: unhex(key), value: unhex(value), headers };
  });
}
