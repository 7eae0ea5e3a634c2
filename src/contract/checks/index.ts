// The contract checks, in the order they run for each operation (the sequential check measures one
// execution's side effects, which the concurrent check needs). Add a check: a file + one line here.
import type { CheckContext } from '../context';
import type { CheckName, CheckResult } from '../types';
import { bodyMismatch } from './body-mismatch';
import { concurrentDuplicate } from './concurrent-duplicate';
import { missingKey } from './missing-key';
import { sequentialDuplicate } from './sequential-duplicate';
import { storeDown } from './store-down';

export type Check = (ctx: CheckContext) => Promise<CheckResult>;

export const CHECKS: Record<CheckName, Check> = {
  'sequential-duplicate': sequentialDuplicate,
  'concurrent-duplicate': concurrentDuplicate,
  'body-mismatch': bodyMismatch,
  'missing-key': missingKey,
  'store-down': storeDown,
};
