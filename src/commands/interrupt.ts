// Ctrl-C / SIGTERM once: end the run cleanly as aborted. Twice: leave at once.
import { EXIT } from '../errors';

export function onInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT.aborted);
    process.stderr.write('doubletap: stopping (again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
