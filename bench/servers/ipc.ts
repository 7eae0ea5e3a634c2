// The IPC side of a benchmark server: answers `stats` (memory, CPU, server-specific counters) and
// `gc` (when started with --expose-gc) so the harness can measure heap without guessing.
export function serveStats(extra: () => Record<string, unknown> = () => ({})): void {
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) {
        gc();
        gc();
      }
    }
    process.send?.({ mem: process.memoryUsage(), cpu: process.cpuUsage(), ...extra() });
  });
  // The harness stops us with SIGTERM; exit at once (no drain needed for a benchmark).
  process.once('SIGTERM', () => process.exit(0));
  process.once('disconnect', () => process.exit(0));
}

export { arg } from '../lib/options';
