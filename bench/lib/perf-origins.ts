// Native CPU samples (`perf record -e cpu-clock` with node's --perf-basic-prof) grouped by where the
// time went: our JS, undici's, Node's own JS, V8's builtins (inline caches apart), garbage collection,
// Node/V8 C++, libc, the kernel. Sampling needs no hardware counters, so it works on this VM, and unlike
// callgrind it sees the kernel and the real caches. Used by bench/perf-origins.ts.

/** One line of `perf report --sort dso,sym --stdio -q -n`: samples, the DSO, `.` (user) or `k`, the symbol. */
export interface PerfLine {
  samples: number;
  dso: string;
  kind: '.' | 'k';
  sym: string;
}

const LINE = /^\s*[\d.]+%\s+(\d+)\s+(.+?)\s+\[(\.|k)\]\s+(.*)$/;

export function parsePerfReport(text: string): PerfLine[] {
  const lines: PerfLine[] = [];
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw);
    if (m) lines.push({ samples: Number(m[1]), dso: m[2], kind: m[3] as '.' | 'k', sym: m[4] });
  }
  return lines;
}

/** The origin a sample is charged to. JIT code is named `JS:*name file:line` by --perf-basic-prof. */
export function originOf(l: Pick<PerfLine, 'dso' | 'kind' | 'sym'>): string {
  const { dso, kind, sym } = l;
  if (kind === 'k') return 'kernel';
  if (sym.startsWith('JS:')) {
    if (sym.includes('/src/') && !sym.includes('node_modules')) return 'JS: doubletap';
    const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(sym);
    if (mod) return `JS: ${mod[1]}`;
    if (sym.includes(' node:')) return 'JS: Node';
    return 'JS: other';
  }
  if (sym.startsWith('Builtins_')) {
    if (sym.includes('RecordWrite')) return 'builtins: write barrier';
    return /IC(_|Trampoline|$|\W)/.test(sym) ? 'builtins: inline caches' : 'builtins: other';
  }
  if (/Scaveng|MarkCompact|Sweep|Heap::|Marking|Evacuat|Minor/.test(sym)) return 'GC';
  if (sym.includes('llhttp')) return 'llhttp';
  if (dso.startsWith('libc') || /malloc|free|memmove|memcpy|memset/.test(sym)) return 'libc (malloc, memcpy)';
  if (dso === 'node') return 'Node/V8 C++';
  if (dso.startsWith('[JIT]')) return 'JS: other';
  return `other: ${dso}`;
}

/** Samples by origin, as µs of CPU per request (`hz` samples a second, `requests` in the window). */
export function originsPerRequest(lines: PerfLine[], hz: number, requests: number): Map<string, number> {
  return perRequest(lines, hz, requests, originOf);
}

/** Samples by symbol (named with its origin), as µs of CPU per request: what an origin's change is made of. */
export function symbolsPerRequest(lines: PerfLine[], hz: number, requests: number): Map<string, number> {
  return perRequest(lines, hz, requests, (l) => `${originOf(l)}: ${l.sym}`);
}

function perRequest(lines: PerfLine[], hz: number, requests: number, keyOf: (l: PerfLine) => string): Map<string, number> {
  const out = new Map<string, number>();
  const us = 1e6 / hz / requests;
  for (const l of lines) {
    const key = keyOf(l);
    out.set(key, (out.get(key) ?? 0) + l.samples * us);
  }
  return out;
}
