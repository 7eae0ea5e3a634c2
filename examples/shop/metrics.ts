// The shop's own Prometheus registry: the dedup counters doubletap compares with its copy outcomes.
import { Counter, Registry } from 'prom-client';

export type IdemCounter = 'hits' | 'conflicts' | 'mismatches';

export interface ShopMetrics {
  registry: Registry;
  count(what: IdemCounter, variant: string): void;
  orderCreated(variant: string): void;
  /** In-process totals per variant, for GET /stats. */
  snapshot(): Record<string, Record<IdemCounter, number>>;
}

export function createShopMetrics(): ShopMetrics {
  const registry = new Registry();
  const mk = (name: string, help: string) => new Counter({ name, help, labelNames: ['variant'], registers: [registry] });
  const counters: Record<IdemCounter, Counter> = {
    hits: mk('idempotency_hits_total', 'Duplicates answered from the idempotency store (replays, or skipped Kafka redeliveries)'),
    conflicts: mk('idempotency_conflicts_total', 'Requests refused with 409 because the same key was in progress'),
    mismatches: mk('idempotency_mismatches_total', 'Requests refused with 422: key reused with another body'),
  };
  const created = mk('shop_orders_created_total', 'Orders written (each with two ledger entries and one email)');
  const totals: Record<string, Record<IdemCounter, number>> = {};
  return {
    registry,
    count(what, variant) {
      counters[what].inc({ variant });
      totals[variant] ??= { hits: 0, conflicts: 0, mismatches: 0 };
      totals[variant][what]++;
    },
    orderCreated: (variant) => created.inc({ variant }),
    snapshot: () => structuredClone(totals),
  };
}
