// Reads a V8 log written with `--log-ic` (and optionally `--log-maps`): the state each inline-cache
// site reached, named by its function, and the property order behind each hidden class. Used by
// bench/ic-diff.ts to show which sites the copy path turns polymorphic for every original.
import { closeSync, openSync, readSync } from 'node:fs';

/** 0 uninitialised, 1 monomorphic, 2 polymorphic, 3 megamorphic (V8's 0 . 1 ^ P N G letters). */
export type IcLevel = 0 | 1 | 2 | 3;
const LEVEL: Record<string, IcLevel> = { '0': 0, '.': 0, '1': 1, '^': 1, P: 2, N: 3, G: 3 };

export interface IcSite {
  /** `LoadIC @line:column .key`: stable across runs of the same build (addresses are not). */
  site: string;
  /** The function holding the site, with its script and position, when the log names it. */
  fn: string | undefined;
  level: IcLevel;
  /** Every map the site was seen with (hex addresses of this run). */
  maps: Set<string>;
}

export interface IcLog {
  sites: Map<string, IcSite>;
  /** map address → how it was made: its parent map and the property added (`--log-maps` only). */
  transitions: Map<string, { from: string; name: string }>;
}

interface Code { start: number; end: number; name: string }

/** `code-creation,JS,kind,time,address,size,name…,sfi,state` → the code object's range and name. */
function codeRange(fields: string[]): Code {
  const start = parseInt(fields[4], 16);
  return { start, end: start + Number(fields[5]), name: fields.slice(6, fields.length - 2).join(',').trim() };
}

function finder(codes: Code[]): (pc: number) => string | undefined {
  codes.sort((a, b) => a.start - b.start);
  return (pc) => {
    let lo = 0;
    let hi = codes.length - 1;
    let hit: Code | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (codes[mid].start <= pc) {
        hit = codes[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return hit !== undefined && pc < hit.end ? hit.name : undefined;
  };
}

// `LoadIC,pc,time,line,column,old,new,map,key,modifier,reason`
const IC_LINE = /^(\w*IC),(0x[0-9a-f]+),\d+,(\d+),(\d+),[^,]*,([^,]*),(0x[0-9a-f]+),([^,]*)/;
// `map,Transition,time,from,to,pc,line,column,reason,name`
const MAP_LINE = /^map,Transition,\d+,(0x[0-9a-f]+),(0x[0-9a-f]+),[^,]*,[^,]*,[^,]*,[^,]*,(.*)$/;

export function parseIcLog(text: string): IcLog {
  return parseIcLines(text.split('\n'));
}

/** Lines in, sites out; each site's function is resolved at the end, once every code object is known. */
export function parseIcLines(lines: Iterable<string>): IcLog {
  const codes: Code[] = [];
  const firstPc = new Map<IcSite, number>();
  const sites = new Map<string, IcSite>();
  const transitions = new Map<string, { from: string; name: string }>();
  for (const line of lines) {
    if (line.startsWith('code-creation,JS,')) {
      codes.push(codeRange(line.split(',')));
      continue;
    }
    const t = MAP_LINE.exec(line);
    if (t) {
      transitions.set(t[2], { from: t[1], name: t[3] });
      continue;
    }
    const m = IC_LINE.exec(line);
    if (!m) continue;
    const site = `${m[1]} @${m[3]}:${m[4]} .${m[7]}`;
    let s = sites.get(site);
    if (!s) {
      sites.set(site, (s = { site, fn: undefined, level: 0, maps: new Set() }));
      firstPc.set(s, parseInt(m[2], 16));
    }
    s.level = Math.max(s.level, LEVEL[m[5]] ?? 0) as IcLevel;
    if (m[6] !== '0x000000000000') s.maps.add(m[6]);
  }
  const find = finder(codes);
  for (const [s, pc] of firstPc) s.fn = find(pc);
  return { sites, transitions };
}

/** Line by line: a log of a few minutes with --log-maps is larger than the longest string V8 makes. */
function* fileLines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let rest = '';
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const lines = (rest + buf.toString('latin1', 0, n)).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
  } finally {
    closeSync(fd);
  }
  if (rest !== '') yield rest;
}

export function readIcLog(file: string): IcLog {
  return parseIcLines(fileLines(file));
}

/** Sites the second log has at a worse level than the first (absent counts as monomorphic). */
export function worsened(before: IcLog, after: IcLog, minLevel: IcLevel = 2): Array<{ site: IcSite; was: IcLevel }> {
  const out: Array<{ site: IcSite; was: IcLevel }> = [];
  for (const site of after.sites.values()) {
    const was = before.sites.get(site.site)?.level ?? 1;
    if (site.level >= minLevel && site.level > was) out.push({ site, was });
  }
  return out.sort((a, b) => (a.site.fn ?? '').localeCompare(b.site.fn ?? '') || a.site.site.localeCompare(b.site.site));
}

/** The properties a map's objects got, oldest first, as far as the log recorded the transitions. */
export function propertyOrder(log: IcLog, map: string, limit = 60): string[] {
  const names: string[] = [];
  for (let m: string | undefined = map; m !== undefined && names.length < limit; ) {
    const t = log.transitions.get(m);
    if (!t) break;
    names.unshift(t.name);
    m = t.from;
  }
  return names;
}
