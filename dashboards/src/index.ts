// The dashboards this repository ships: file name under dashboards/ → builder. `npm run dashboards`
// writes them; test/unit/dashboards checks the committed JSON is what the builders produce.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { experimentDashboard } from './experiment';
import { fleetDashboard } from './fleet';

export const DASHBOARDS: Record<string, () => Dashboard> = {
  'doubletap-experiment.json': experimentDashboard,
  'doubletap-fleet.json': fleetDashboard,
};

/** The committed text: stable key order from the builders, two-space indent, trailing newline. */
export function renderDashboard(build: () => Dashboard): string {
  return JSON.stringify(build(), null, 2) + '\n';
}
