// The `links:` section: TCP links doubletap stands in for (Redis, PostgreSQL, any TCP dependency), cut
// during windows inside the chaos window. Also `onStoreDown`, which rules and relays declare.
import { z } from 'zod';
import { duration, hostPort, name } from './schema-common';

export const LINK_MODES = ['refuse', 'reset', 'blackhole', 'latency'] as const;
export type LinkModeName = (typeof LINK_MODES)[number];

export const linkWindow = z.strictObject({
  at: duration.describe('when the cut starts, from the start of the chaos window'),
  for: duration.describe('how long the cut lasts'),
  mode: z.enum(LINK_MODES).describe('refuse: port closed, open connections reset; reset: every connection reset; blackhole: accepted, nothing forwarded; latency: every chunk delayed'),
  latency: duration.optional().describe('one-way delay added to every chunk (mode latency only)'),
});
export type LinkWindow = z.output<typeof linkWindow>;

export const linkSpec = z.strictObject({
  name,
  listen: hostPort.describe('where doubletap listens; point the service at this address instead of the dependency'),
  target: hostPort.describe('the dependency (HOST:PORT)'),
  windows: z.array(linkWindow).min(1, { message: 'needs at least one window' }),
});
export type LinkSpec = z.output<typeof linkSpec>;

export const linksSection = z.array(linkSpec).describe('TCP links to cut during the chaos window (dependency outages)');

export const onStoreDown = z
  .enum(['fail-closed', 'fail-open'])
  .optional()
  .describe('what the service must do while a link is cut: fail-closed = originals and copies get errors and no side effect; fail-open = originals succeed');

/** Checks across the scenario: windows inside the chaos window, not overlapping, unique names. */
export function checkLinks(
  links: readonly LinkSpec[] | undefined, chaosMs: number,
  addIssue: (path: (string | number)[], message: string) => void,
): void {
  const names = new Set<string>();
  links?.forEach((l, i) => {
    if (names.has(l.name)) addIssue(['links', i, 'name'], `duplicate link name ${l.name}`);
    names.add(l.name);
    const sorted = l.windows.map((w, j) => ({ w, j })).sort((a, b) => a.w.at - b.w.at);
    sorted.forEach(({ w, j }, k) => {
      const path = ['links', i, 'windows', j];
      if (w.for <= 0) addIssue([...path, 'for'], 'must be longer than 0');
      if (w.at + w.for > chaosMs) addIssue(path, `ends at ${w.at + w.for}ms, after the chaos window (duration ${chaosMs}ms)`);
      if (w.mode === 'latency' && !w.latency) addIssue([...path, 'latency'], 'mode latency needs a latency');
      if (w.mode !== 'latency' && w.latency !== undefined) addIssue([...path, 'latency'], 'only mode latency takes a latency');
      const prev = sorted[k - 1];
      if (prev && prev.w.at + prev.w.for > w.at) addIssue([...path, 'at'], `overlaps window ${prev.j}`);
    });
  });
}
