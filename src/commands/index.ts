// The command map: one file per command, registered explicitly (no side-effect registration).
import type { Command } from 'commander';
import { registerDemo } from './demo';
import { registerRun } from './run';
import { registerValidate } from './validate';
import { registerRelay } from './relay';
import { registerReport } from './report';
import { registerHalt } from './halt';
import { registerStatus } from './status';
import { registerProxy } from './proxy';
import { registerApprove } from './approve';
import { registerContract } from './contract';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: Record<string, RegisterCommand> = {
  run: registerRun,
  demo: registerDemo,
  validate: registerValidate,
  relay: registerRelay,
  report: registerReport,
  halt: registerHalt,
  status: registerStatus,
  proxy: registerProxy,
  approve: registerApprove,
  contract: registerContract,
};
