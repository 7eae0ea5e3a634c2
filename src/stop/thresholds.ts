// One wording for every threshold, so the verdict reads the same whatever the source.
export function aboveOrBelow(value: number, above: number | undefined, below: number | undefined): string | undefined {
  if (above !== undefined && value > above) return `${value} above ${above}`;
  if (below !== undefined && value < below) return `${value} below ${below}`;
  return undefined;
}
