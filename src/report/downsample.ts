// Largest-Triangle-Three-Buckets: keeps the first and last point and the visually significant ones, so
// spikes and steps survive when a long run's timeline is cut down to what a chart can show.

export interface XY {
  x: number;
  y: number;
}

export const MAX_POINTS_PER_SERIES = 2000;

export function downsample<T extends XY>(points: readonly T[], max = MAX_POINTS_PER_SERIES): T[] {
  if (points.length <= max) return points.slice();
  if (max < 3) return [points[0], points[points.length - 1]].slice(0, Math.max(max, 0));
  const out: T[] = [points[0]];
  const bucket = (points.length - 2) / (max - 2);
  let a = 0;
  for (let i = 0; i < max - 2; i++) {
    // The average of the next bucket is the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * bucket) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * bucket) + 1, points.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += points[j].x;
      avgY += points[j].y;
    }
    const n = Math.max(nextEnd - nextStart, 1);
    avgX /= n;
    avgY /= n;
    const start = Math.floor(i * bucket) + 1;
    const end = Math.floor((i + 1) * bucket) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((points[a].x - avgX) * (points[j].y - points[a].y) - (points[a].x - points[j].x) * (avgY - points[a].y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]);
    a = best;
  }
  out.push(points[points.length - 1]);
  return out;
}
