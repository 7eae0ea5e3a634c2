// Copy budget: a total cap for the run and a per-second cap (token bucket). The clock is injected.

export interface BudgetLimits {
  total?: number;
  perSecond?: number;
}

export class Budget {
  private spent = 0;
  private tokens: number;
  private lastRefillMs: number;

  constructor(private readonly limits: BudgetLimits, private readonly now: () => number = Date.now) {
    // The bucket holds at least one token, or a rate under 1/s (0.5 = one copy every 2 s) never sends.
    this.tokens = limits.perSecond === undefined ? Infinity : Math.max(1, limits.perSecond);
    this.lastRefillMs = now();
  }

  /** Take one copy from the budget; false means "send no copy" (fail closed). */
  tryTake(): 'ok' | 'total' | 'rate' {
    if (this.limits.total !== undefined && this.spent >= this.limits.total) return 'total';
    if (this.limits.perSecond !== undefined) {
      const t = this.now();
      this.tokens = Math.min(Math.max(1, this.limits.perSecond), this.tokens + ((t - this.lastRefillMs) / 1000) * this.limits.perSecond);
      this.lastRefillMs = t;
      if (this.tokens < 1) return 'rate';
      this.tokens -= 1;
    }
    this.spent += 1;
    return 'ok';
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
