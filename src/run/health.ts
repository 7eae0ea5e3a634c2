// Wait until the target answers 2xx before the baseline; an unreachable target names its address.
import { UnreachableError, messageOf } from '../errors';
import { scrub } from '../secrets';

export async function waitForHealthy(url: string, timeoutMs: number, stepMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(2000, Math.max(1, deadline - Date.now()))) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      // fetch repeats the URL in some errors: never let a password from it reach a log or the verdict.
      last = scrub(messageOf((err as { cause?: unknown }).cause ?? err), [safePassword(url)]);
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new UnreachableError(new URL(url).host, `not healthy within ${timeoutMs} ms (${last})`);
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
