// Audit records: every gate decision, arm, disarm, halt, stop and end is a journal line, so the run
// directory says who allowed what and how it ended. `who` is an approval's name, never a token.
import type { Journal } from '../journal/writer';
import type { AuditEvent, JournalEntry } from '../journal/types';

let seq = 0;

export function audit(journal: Journal, event: AuditEvent, fields: Omit<Partial<JournalEntry>, 'kind' | 'event' | 'rule' | 'relay'> = {}): void {
  journal.write({ kind: 'audit', id: `a-${++seq}`, event, ...fields });
}
