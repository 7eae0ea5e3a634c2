// Which originals a previous run of this relay journaled, read back from the journal file it appends
// to. WHY: a SIGKILL loses the produce request in flight — its originals reached the destination but
// never got their journal line (the line is written on the ack). A restart finds them in the
// destination's tail; only the journal can tell "journaled, then relayed again" (a redelivery) from
// "relayed, never journaled" (an original the books must still count, with its copy decision).
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

/** Enough for the uncommitted tail many times over; a journal line is ~250 bytes. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/** `topic/partition/offset` of every original (relayed, not refused) journaled for `relay`. */
export function journaledOriginals(file: string | undefined, relay: string): Set<string> | undefined {
  if (!file || !existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - MAX_READ_BYTES);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    const out = new Set<string>();
    const lines = buf.toString('utf8').split('\n');
    // A cut first line (read from the middle) or a torn last one (SIGKILL mid-write) is skipped.
    for (const line of lines) {
      if (!line.includes('"kind":"original"') || !line.includes(`"relay":${JSON.stringify(relay)}`)) continue;
      try {
        const e = JSON.parse(line) as { kind: string; relay?: string; topic?: string; partition?: number; offset?: string; error?: string };
        if (e.kind === 'original' && e.relay === relay && e.error === undefined) out.add(`${e.topic}/${e.partition}/${e.offset}`);
      } catch {
        // not a whole line
      }
    }
    return out;
  } finally {
    closeSync(fd);
  }
}
