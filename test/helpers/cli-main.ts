// Entry point for runCli: runs src/cli.ts through tsx with the real process.argv ([node, this file, ...args]).
import { main } from '../../src/cli';

void main(process.argv);
