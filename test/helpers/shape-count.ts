// Counts V8 hidden classes of objects the real code makes, in a fresh node process. Not in the test
// process: after a few hundred tests the empty object's hidden class has run out of room for new
// transitions (V8 keeps about 1,500 per class), and from then on every object built from `{}` with a
// property name not seen before gets a class of its own, whatever the code does (measured: 3,000 of
// 3,000 after 3,000 distinct first names). A proxy or relay process starts clean, as this one does.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface ShapeCount {
  /** Objects the probe returned. */
  objects: number;
  /** Hidden classes among them. */
  shapes: number;
  /** The last object, as JSON. */
  last: unknown;
}

/** Runs `probe` (an async function exported by test/helpers/shapes/<file>.ts returning objects). */
export function countShapes(file: string, probe: string): ShapeCount {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', join(__dirname, 'shape-probe.ts'), join(__dirname, 'shapes', file), probe], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ShapeCount;
}
