// Allowed windows: days and hours in a time zone (Intl does the zone and daylight-saving arithmetic).
// The whole chaos window plus settle must lie inside allowed time, checked minute by minute, so a run
// that starts at 04:59 in a window ending at 05:00 is refused rather than cut short.
import type { Day, TimeWindow } from '../scenario/schema-gate';
import type { GateInput } from './types';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Weekday and HH:MM of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { day: Day; hhmm: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: parts.weekday.toLowerCase().slice(0, 3) as Day, hhmm: `${parts.hour}:${parts.minute}` };
}

export function insideWindows(at: Date, windows: readonly TimeWindow[]): boolean {
  return windows.some((w) => {
    const t = localTime(at, w.timeZone);
    return w.days.includes(t.day) && t.hhmm >= w.from && t.hhmm < w.to;
  });
}

export function checkWindow(i: GateInput): string[] {
  if (!i.policy) return [];
  const windows = i.policy.windows;
  const describe = () => (windows.length === 0 ? 'the policy allows no window' : windows.map((w) => `${w.days.join(',')} ${w.from}-${w.to} ${w.timeZone}`).join('; '));
  const start = i.now.getTime();
  const end = start + i.scenario.duration + i.scenario.settle;
  for (let t = start; ; t = Math.min(t + 60_000, end)) {
    if (!insideWindows(new Date(t), windows)) {
      const what = t === start ? `now (${i.now.toISOString()})` : `${new Date(t).toISOString()} (before the run would end)`;
      return [`gate window: ${what} is outside the allowed windows (${describe()})`];
    }
    if (t === end) return [];
  }
}
