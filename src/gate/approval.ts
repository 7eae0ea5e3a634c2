// Approval: a token whose sha256 is one of the policy's approvers (compared in constant time, against
// every approver, so timing says nothing about which one or how close), or an approval file bound to
// this scenario's content hash with an expiry. Who approved is a name, never the token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { messageOf } from '../errors';
import { name } from '../scenario/schema-common';
import type { GateInput } from './types';

export const approvalFileSchema = z.strictObject({
  name,
  scenarioSha256: z.string().regex(/^[0-9a-f]{64}$/),
  expires: z.iso.datetime({ offset: true }),
  note: z.string().optional(),
});
export type ApprovalFile = z.output<typeof approvalFileSchema>;

/** `env:NAME` or `file:PATH` → the token, or a reason it cannot be read. Never echoes the value. */
export function readToken(ref: string, env: NodeJS.ProcessEnv): { token: string } | { reason: string } {
  const where = 'gate.approval.token';
  if (ref.startsWith('env:')) {
    const value = env[ref.slice(4)];
    return value ? { token: value.trim() } : { reason: `${where}: environment variable ${ref.slice(4)} is not set` };
  }
  if (ref.startsWith('file:')) {
    try {
      const value = readFileSync(ref.slice(5), 'utf8').trim();
      return value ? { token: value } : { reason: `${where}: ${ref.slice(5)} is empty` };
    } catch (err) {
      return { reason: `${where}: cannot read ${ref.slice(5)} (${messageOf(err)})` };
    }
  }
  return { reason: `${where}: must be env:NAME or file:PATH (a literal token would sit in the scenario)` };
}

function tokenApprover(ref: string, i: GateInput): { who: string } | { reason: string } {
  const read = readToken(ref, i.env);
  if ('reason' in read) return read;
  if (!i.policy) return { reason: '' }; // the missing policy is the reason, already reported
  const given = createHash('sha256').update(read.token, 'utf8').digest();
  let who: string | undefined;
  for (const a of i.policy.approvers) {
    if (timingSafeEqual(given, Buffer.from(a.sha256, 'hex')) && who === undefined) who = a.name;
  }
  return who !== undefined ? { who } : { reason: 'gate.approval.token: matches no approver in the policy' };
}

function fileApprover(file: string, i: GateInput): { who: string } | { reason: string } {
  let parsed: ApprovalFile;
  try {
    const result = approvalFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!result.success) return { reason: `gate.approval.file: ${file} is not an approval file (${result.error.issues.map((x) => x.path.join('.') || x.message).join(', ')})` };
    parsed = result.data;
  } catch (err) {
    return { reason: `gate.approval.file: cannot read ${file} (${messageOf(err).split('\n')[0]})` };
  }
  if (parsed.scenarioSha256 !== i.scenarioHash) {
    return { reason: `gate.approval.file: approves scenario ${parsed.scenarioSha256.slice(0, 12)}…, this one is ${i.scenarioHash.slice(0, 12)}… (the scenario changed since it was approved)` };
  }
  if (Date.parse(parsed.expires) <= i.now.getTime()) return { reason: `gate.approval.file: expired at ${parsed.expires}` };
  return { who: parsed.name };
}

/** The approver's name, or every reason no approval holds. */
export function approverOf(i: GateInput): { who: string } | { reasons: string[] } {
  const a = i.scenario.gate.approval;
  if (!a || (a.token === undefined && a.file === undefined)) {
    return { reasons: ['gate.approval: a production run needs an approval (token: env:NAME | file:PATH, or file: an approval file)'] };
  }
  const tried = [a.token !== undefined ? tokenApprover(a.token, i) : undefined, a.file !== undefined ? fileApprover(a.file, i) : undefined];
  const ok = tried.find((t): t is { who: string } => t !== undefined && 'who' in t);
  if (ok) return ok;
  return { reasons: tried.flatMap((t) => (t && 'reason' in t && t.reason !== '' ? [t.reason] : [])) };
}

