// Child side of shape-count.ts: `node --allow-natives-syntax --import tsx shape-probe.ts FILE PROBE`.
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

async function main(): Promise<void> {
  const [file, probe] = process.argv.slice(2);
  const objects = (await (require(file) as Record<string, () => Promise<object[]>>)[probe]()) ?? [];
  const seen: object[] = [];
  for (const o of objects) if (!seen.some((s) => haveSameMap(s, o))) seen.push(o);
  console.log(JSON.stringify({ objects: objects.length, shapes: seen.length, last: objects[objects.length - 1] }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
