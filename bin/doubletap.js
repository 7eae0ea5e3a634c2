#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` produces dist/.
require('../dist/src/cli.js').main(process.argv);
