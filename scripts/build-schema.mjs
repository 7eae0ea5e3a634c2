// Writes the scenario JSON Schema (generated from the zod schema) into the package, for editors.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { scenarioJsonSchema } = require('../dist/src/scenario/json-schema.js');
writeFileSync(new URL('../schema/scenario.schema.json', import.meta.url), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
