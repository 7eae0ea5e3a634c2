// The policy file: kept outside the scenario (another repository, a ConfigMap owned by the service
// owners), so the person writing a scenario cannot widen what production allows.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { formatPath } from '../scenario/load';
import { policySchema, type Policy } from '../scenario/schema-gate';
import { messageOf } from '../errors';

export function loadPolicy(file: string): Policy | string[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return [`gate.policy: cannot read ${file} (${messageOf(err).split('\n')[0]})`];
  }
  const result = policySchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  return result.error.issues.map((i) => `policy ${file}: ${formatPath(i.path) || '(top level)'}: ${i.message}`);
}
