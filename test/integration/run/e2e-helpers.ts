// Shared by the `doubletap run` end-to-end tests: fixture paths, a run of one fixture scenario through
// runExperiment, and the journal read back as plain entries (the test derives its expected numbers
// from it, independently of the tally the verdict used).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JournalEntry } from '../../../src/journal/types';
import { silentLogger } from '../../../src/log';
import { runExperiment, type RunResult } from '../../../src/run/experiment';
import { loadScenario } from '../../../src/scenario/load';

export const E2E_FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'scenarios', 'e2e');

export function fixture(name: string): string {
  return join(E2E_FIXTURES, name);
}

export function tempRunDir(label: string): string {
  return join(mkdtempSync(join(tmpdir(), `dt-e2e-${label}-`)), 'run');
}

/** Loads a fixture with the given ${ENV} values and runs it in-process. */
export async function runFixture(name: string, vars: Record<string, string>, label = name.replace(/\.yaml$/, '')): Promise<RunResult> {
  const env = { ...process.env, ...vars };
  const scenario = loadScenario(fixture(name), env);
  return runExperiment(scenario, { reportDir: tempRunDir(label), logger: silentLogger(), pretty: false, env });
}

export function readJournalLines(runDir: string): JournalEntry[] {
  return readFileSync(join(runDir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JournalEntry);
}

const is2xx = (s: number | undefined) => s !== undefined && s >= 200 && s < 300;

/** Counts a test needs, straight from journal lines. */
export function journalCounts(entries: JournalEntry[]) {
  const originals = entries.filter((e) => e.kind === 'original');
  const copies = entries.filter((e) => e.kind === 'copy');
  const by = (outcome: string, fault?: string) =>
    copies.filter((c) => c.outcome === outcome && (fault === undefined || c.fault === fault)).length;
  return {
    originals: originals.length,
    /** Originals the upstream answered 2xx (client retries included: each one is a write). */
    originals2xx: originals.filter((e) => is2xx(e.status)).length,
    /** Distinct identities with a 2xx original: doubletap's ops(). */
    ops: new Set(originals.filter((e) => is2xx(e.status)).map((e) => e.key ?? e.id)).size,
    copies: copies.length,
    by,
    faults: new Set(copies.map((c) => c.fault)),
  };
}

/** What seeds decide: which keys were picked and with what fault (originals' reason, copies' fault). */
export function decisions(entries: JournalEntry[]): string[] {
  return entries
    .filter((e) => e.kind === 'copy' || (e.kind === 'original' && e.clientStatus !== undefined))
    .map((e) => `${e.key}|${e.fault ?? 'lost-reply'}|${e.kind}`)
    .sort();
}
