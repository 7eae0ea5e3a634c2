#!/usr/bin/env bash
# The README's test command (`npm test`): provision real components, build, run every test.
# The last line is mocha's plain `N passed, N failed` (see test/helpers/count-reporter.cjs).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/provision.sh
npm run build --silent
npx tsc -p tsconfig.json --noEmit
exec npx mocha 'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts' "$@"
