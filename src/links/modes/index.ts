// The cut modes a link window can use: one file each, this map is the only registry.
import { blackhole } from './blackhole';
import { latency } from './latency';
import { refuse } from './refuse';
import { reset } from './reset';
import type { CutMode } from './types';
import type { LinkModeName } from '../../scenario/schema-links';

export const CUT_MODES: Record<LinkModeName, CutMode> = { refuse, reset, blackhole, latency };
export type { CutMode, WindowSettings } from './types';
