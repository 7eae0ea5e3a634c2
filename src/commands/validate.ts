// `doubletap validate FILE`: every problem with its path (exit 2), or a short summary (exit 0) and
// warnings about what can never pass on evidence (stderr).
import type { Command } from 'commander';
import { formatDuration } from '../scenario/durations';
import { evidenceWarnings } from '../reconcile/warnings';
import { loadScenario } from '../scenario/load';
import type { Scenario } from '../scenario/schema';
import { scenarioHash } from '../gate/content-hash';

export function summarize(s: Scenario): string {
  const lines = [`scenario ${s.name}: valid (seed ${s.seed}, window ${formatDuration(s.duration)}, settle ${formatDuration(s.settle)}, ${s.gate.environment})`];
  if (s.http) {
    lines.push(`  http: ${s.http.listen} → ${s.http.upstream}`);
    for (const r of s.http.rules) {
      const faults = r.faults.map((f) => `${f.kind}×${f.weight}`).join(', ');
      lines.push(`    rule ${r.name}: ${r.match.method.join('|')} ${r.match.path}, fraction ${r.fraction}, faults ${faults}${r.onStoreDown ? `, store down: ${r.onStoreDown}` : ''}`);
    }
  }
  if (s.kafka) {
    lines.push(`  kafka: ${s.kafka.brokers.join(', ')}`);
    for (const r of s.kafka.relays) lines.push(`    relay ${r.name}: ${r.from.join(',')} → ${r.to}, fraction ${r.fraction}, copies ${r.copies}`);
    for (const r of s.kafka.redeliver ?? []) lines.push(`    redeliver ${r.kind}: group ${r.group} on ${r.topic}${r.kind === 'rewind' ? `, ${r.messages} per partition` : ''}, at ${r.at === undefined ? 'a seeded moment' : formatDuration(r.at)}`);
  }
  for (const l of s.links ?? []) {
    const windows = l.windows.map((w) => `${w.mode} ${formatDuration(w.at)}+${formatDuration(w.for)}`).join(', ');
    lines.push(`  link ${l.name}: ${l.listen} → ${l.target}, ${windows}`);
  }
  if (s.gate.environment === 'production') {
    lines.push(`  gate: policy ${s.gate.policy ?? '(none)'}, ${s.gate.stop.conditions.length} stop condition(s); content sha256 ${scenarioHash(s)}`);
  }
  if (s.attach) lines.push(`  attach: ${s.attach.proxies.length} standing prox${s.attach.proxies.length === 1 ? 'y' : 'ies'}, lease ${formatDuration(s.attach.lease)}`);
  const probes = Object.keys(s.probes);
  if (probes.length) lines.push(`  probes: ${probes.join(', ')}`);
  if (s.invariants.length) lines.push(`  invariants: ${s.invariants.length}`);
  if (s.load) lines.push(`  load: ${s.load.http.length} http, ${s.load.kafka.length} kafka`);
  return lines.join('\n');
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a scenario file: every problem with its path (exit 2), or a short summary (exit 0)')
    .argument('<scenario>', 'scenario YAML file')
    .action((file: string) => {
      const scenario = loadScenario(file);
      process.stdout.write(summarize(scenario) + '\n');
      // Valid but weak: said on stderr, exit 0 (a warning never blocks a run).
      for (const w of evidenceWarnings(scenario)) process.stderr.write(`warning: ${w}\n`);
    });
}
