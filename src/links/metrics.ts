// Link metrics, registered on the run's registry (names in docs/metrics.md). Labels: link and mode only.
import client, { type Registry } from 'prom-client';

export function createLinkMetrics(registry: Registry) {
  const registers = [registry];
  return {
    windows: new client.Counter({ name: 'doubletap_link_windows_total', help: 'Link cut windows started', labelNames: ['link', 'mode'], registers }),
    affected: new client.Counter({
      name: 'doubletap_link_connections_affected_total', help: 'Connections a cut window applied to (open at its start or arriving during it)', labelNames: ['link', 'mode'], registers,
    }),
    down: new client.Gauge({ name: 'doubletap_link_down', help: '1 while a cut window is active on the link', labelNames: ['link'], registers }),
  };
}
