// What /status and /healthz say about running relays (docs/relay.md, "Liveness contract"). Shared by
// `doubletap relay` and `doubletap run`, so both answer the same way.
import type { RunningRelay } from './relay';
import { isHealthy } from './relay-health';

export interface NamedRelay {
  name: string;
  relay: RunningRelay;
}

/** `relaying` only while every relay is; else the worst state (failed > stalled > the rest). */
export function relayStatus(relays: NamedRelay[], halted: boolean) {
  const list = relays.map(({ name, relay }) => ({ name, ...relay.health(), ...relay.stats(), pending: relay.pending() }));
  const states = new Set(list.map((r) => r.state));
  const phase = halted ? 'halted' : states.has('failed') ? 'failed' : states.has('stalled') ? 'stalled' : 'relaying';
  return { phase, relays: list };
}

/** 503 from /healthz names every relay that is not healthy and why. */
export function relayHealth(relays: NamedRelay[]): { ok: boolean; detail: string } {
  const bad = relays.map(({ name, relay }) => ({ name, h: relay.health() })).filter(({ h }) => !isHealthy(h.state));
  if (bad.length === 0) return { ok: true, detail: 'ok' };
  return { ok: false, detail: bad.map(({ name, h }) => `relay ${name} ${h.state}: ${h.reason ?? ''}`).join('\n') };
}
