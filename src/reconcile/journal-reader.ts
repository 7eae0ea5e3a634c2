// Streams journal.jsonl back (for `doubletap report DIR` and big runs) without loading it whole.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DoubletapError } from '../errors';
import { Tally } from '../journal/tally';
import type { JournalEntry } from '../journal/types';
import { JournalSummary } from './journal-summary';

const KINDS: ReadonlySet<string> = new Set(['original', 'copy', 'link', 'redeliver']);

/** An entry, null for an audit line (valid, not an attempt: skipped), undefined for a bad line. */
function parseLine(line: string): JournalEntry | null | undefined {
  try {
    const v = JSON.parse(line) as JournalEntry;
    if (v?.kind === 'audit') return null;
    return v && typeof v === 'object' && KINDS.has(v.kind) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Entries in file order. A malformed line throws (naming the line number), except a malformed LAST
 * line: that is a write cut short by a crash or kill, and is skipped.
 */
export async function* readJournal(file: string): AsyncIterable<JournalEntry> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let bad: number | undefined;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    if (bad !== undefined) throw new DoubletapError('JOURNAL_INVALID', `${file}:${bad}: not a journal entry`);
    const entry = parseLine(line);
    if (entry) yield entry;
    else if (entry === undefined) bad = lineNo;
  }
}

export async function tallyFromJournal(file: string): Promise<Tally> {
  return (await summarizeJournal(file)).tally;
}

/** Tally + per-fault outcomes + leaked copies in one streamed pass. */
export async function summarizeJournal(file: string): Promise<{ tally: Tally; summary: JournalSummary }> {
  const tally = new Tally();
  const summary = new JournalSummary();
  for await (const e of readJournal(file)) {
    tally.add(e);
    summary.add(e);
  }
  return { tally, summary };
}
