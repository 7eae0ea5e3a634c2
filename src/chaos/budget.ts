// Copy budget: a total cap for the run and a per-second cap (token bucket). The clock is injected.

export interface BudgetLimits {
  total?: number;
  perSecond?: number;
  /** Copies on the wire at once; only takers that call release() count against it (HTTP copies). */
  inFlight?: number;
}

export class Budget {
  private spent = 0;
  private onTheWire = 0;
  private tokens: number;
  private lastRefillMs: number;

  constructor(private readonly limits: BudgetLimits, private readonly now: () => number = Date.now) {
    // The bucket holds at least one token, or a rate under 1/s (0.5 = one copy every 2 s) never sends.
    this.tokens = limits.perSecond === undefined ? Infinity : Math.max(1, limits.perSecond);
    this.lastRefillMs = now();
  }

  /** Take one copy from the budget; anything but 'ok' means "send no copy" (fail closed). With
   * `inFlight`, the copy also holds an in-flight slot until release(). */
  tryTake(inFlight = false): 'ok' | 'total' | 'rate' | 'in-flight' {
    if (this.limits.total !== undefined && this.spent >= this.limits.total) return 'total';
    if (inFlight && this.limits.inFlight !== undefined && this.onTheWire >= this.limits.inFlight) return 'in-flight';
    if (this.limits.perSecond !== undefined) {
      const t = this.now();
      this.tokens = Math.min(Math.max(1, this.limits.perSecond), this.tokens + ((t - this.lastRefillMs) / 1000) * this.limits.perSecond);
      this.lastRefillMs = t;
      if (this.tokens < 1) return 'rate';
      this.tokens -= 1;
    }
    this.spent += 1;
    if (inFlight) this.onTheWire += 1;
    return 'ok';
  }

  /** A copy taken with `inFlight` is off the wire (answered, failed or cancelled). */
  release(): void {
    if (this.onTheWire > 0) this.onTheWire -= 1;
  }

  /** Give back a copy that was taken but never sent (cancelled before sending). */
  refund(): void {
    if (this.spent > 0) this.spent -= 1;
  }

  get used(): number {
    return this.spent;
  }

  /** Copies left in the total budget (Infinity without a total). */
  get remaining(): number {
    return this.limits.total === undefined ? Infinity : Math.max(0, this.limits.total - this.spent);
  }
}
