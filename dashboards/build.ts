// Writes every dashboard of dashboards/src/index.ts as JSON next to this file (`npm run dashboards`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS, renderDashboard } from './src';

for (const [file, build] of Object.entries(DASHBOARDS)) {
  writeFileSync(join(__dirname, file), renderDashboard(build));
  process.stdout.write(`dashboards/${file}\n`);
}
