// Reads a run directory (contract: verdict.json, timeline.jsonl, journal.jsonl) for the report.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, messageOf } from '../errors';
import type { TimelinePoint, Verdict } from '../reconcile/types';

export interface RunData {
  verdict: Verdict;
  timeline: TimelinePoint[];
  /** timeline lines that could not be parsed (a run killed mid-write leaves a partial last line). */
  skippedLines: number;
}

export async function readVerdict(runDir: string): Promise<Verdict> {
  const file = join(runDir, 'verdict.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${file}: cannot read (${messageOf(err)})`]);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`${file}: not valid JSON (${messageOf(err)})`]);
  }
  const problems = verdictProblems(v);
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}: ${p}`));
  return v as Verdict;
}

/** Only what the report cannot do without; optional blocks are filled with empty defaults. */
function verdictProblems(v: unknown): string[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return ['must be a JSON object'];
  const o = v as Record<string, unknown>;
  const out: string[] = [];
  if (typeof o.scenario !== 'string') out.push('scenario: must be a string');
  if (!['pass', 'fail', 'aborted', 'inconclusive'].includes(o.status as string)) out.push('status: must be pass, fail, aborted or inconclusive');
  if (o.invariants !== undefined && !Array.isArray(o.invariants)) out.push('invariants: must be an array');
  if (o.leaked !== undefined && !Array.isArray(o.leaked)) out.push('leaked: must be an array');
  return out;
}

export async function readTimeline(runDir: string): Promise<{ points: TimelinePoint[]; skipped: number }> {
  let text: string;
  try {
    text = await readFile(join(runDir, 'timeline.jsonl'), 'utf8');
  } catch {
    return { points: [], skipped: 0 }; // no samples (e.g. a dry run): the report says so
  }
  const points: TimelinePoint[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const p = JSON.parse(line) as TimelinePoint;
      if (typeof p.t === 'number') points.push(p);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { points, skipped };
}

export async function readRun(runDir: string): Promise<RunData> {
  const verdict = await readVerdict(runDir);
  const { points, skipped } = await readTimeline(runDir);
  return { verdict, timeline: points, skippedLines: skipped };
}
