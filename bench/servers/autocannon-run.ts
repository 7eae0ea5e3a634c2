// autocannon through its API, in its own process (its CLI parses `[` in arguments as sub-arguments,
// so a per-request `[<id>]` key cannot be passed there). argv[2] is the JSON options; prints JSON.
// autocannon ships no types; this is the one call we make.
type Run = (opts: Record<string, unknown>, cb: (err: unknown, result: unknown) => void) => void;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Run;

const opts = JSON.parse(process.argv[2]) as Record<string, unknown>;
autocannon(opts, (err, result) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(result));
});
