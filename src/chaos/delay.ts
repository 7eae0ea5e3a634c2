// Delay distributions. Every draw comes from the seeded generator handed in; bounds clamp it.
import { MAX_TIMER_MS } from '../scenario/durations';
import type { Delay } from '../scenario/schema-common';

export type Random = () => number;

/** An unbounded tail (exponential, lognormal) can draw past what a timer honours: clamp it there too. */
function clamp(value: number, min = 0, max = MAX_TIMER_MS): number {
  return Math.min(Math.max(value, min), max, MAX_TIMER_MS);
}

/** A standard normal draw (Box–Muller), from two uniform draws. */
function normal(rng: Random): number {
  const u = 1 - rng(); // (0, 1]: log(0) is never taken
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function sampleDelay(delay: Delay, rng: Random): number {
  switch (delay.dist) {
    case 'fixed':
      return delay.value;
    case 'uniform':
      return Math.round(delay.min + rng() * Math.max(0, delay.max - delay.min));
    case 'exponential':
      return Math.round(clamp(-Math.log(1 - rng()) * delay.mean, delay.min, delay.max));
    case 'lognormal':
      return Math.round(clamp(delay.median * Math.exp(delay.sigma * normal(rng)), delay.min, delay.max));
  }
}
