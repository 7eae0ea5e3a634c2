// "Wait until nothing is left, or give up at a deadline": the proxy's window drain (originals still
// in flight) and its settle (copies still pending) both need it, over their own notion of "nothing".

export class IdleWaiters {
  private waiting: Array<() => void> = [];

  /** True as soon as `idle()` holds (checked now, then at every wake()); at the timeout, whatever it says then. */
  wait(idle: () => boolean, timeoutMs: number): Promise<boolean> {
    if (idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(idle()), timeoutMs);
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** The owner became idle: release everyone waiting. */
  wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
