// Micro-benchmark: CPU per delayed copy, a setTimeout each (what the scheduler did) against the timer
// wheel, with jittered delays (every copy its own duration: the case that made Node's timers costly).
//   npx tsx bench/timer-wheel.ts [--items N] [--rounds R] [--max-delay MS]
import { TimerWheel, type WheelItem } from '../src/chaos/timer-wheel';

const flag = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ITEMS = flag('items', 20_000);
const ROUNDS = flag('rounds', 3);
const MAX_DELAY = flag('max-delay', 200);

/** Delays as jittered plans give them: fractional milliseconds, a fixed pseudo-random sequence. */
const delays = Array.from({ length: ITEMS }, (_, i) => ((i * 7919) % 10007) / 10007 * MAX_DELAY);

interface Item extends WheelItem {
  i: number;
}

function viaSetTimeout(): Promise<void> {
  return new Promise((resolve) => {
    let left = ITEMS;
    const fire = (_item: Item): void => {
      if (--left === 0) resolve();
    };
    for (let i = 0; i < ITEMS; i++) setTimeout(fire, delays[i], { i });
  });
}

function viaWheel(): Promise<void> {
  return new Promise((resolve) => {
    let left = ITEMS;
    const wheel = new TimerWheel<Item>(() => {
      if (--left === 0) resolve();
    });
    for (let i = 0; i < ITEMS; i++) wheel.schedule({ i }, delays[i]);
  });
}

async function cpuPerItem(run: () => Promise<void>): Promise<number> {
  const cpu0 = process.cpuUsage();
  await run();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / ITEMS;
}

async function main(): Promise<void> {
  const cases: Array<[string, () => Promise<void>]> = [['setTimeout', viaSetTimeout], ['timer wheel', viaWheel]];
  for (const [, run] of cases) await run(); // warm-up
  const results = new Map<string, number[]>(cases.map(([n]) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) for (const [name, run] of cases) results.get(name)!.push(await cpuPerItem(run));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const [name, xs] of results) console.log(`${name.padEnd(12)} ${median(xs).toFixed(2)} µs CPU per copy (rounds: ${xs.map((x) => x.toFixed(2)).join(', ')})`);
  console.log(`(${ITEMS} copies per round, delays jittered over 0–${MAX_DELAY} ms)`);
}

main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
