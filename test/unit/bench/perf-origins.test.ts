// bench/perf-origins.ts charges perf's samples to origins by DSO and symbol: these are real lines of
// `perf report --sort dso,sym --stdio -q -n` from a doubletap proxy run with --perf-basic-prof.
import { expect } from 'chai';
import { originOf, originsPerRequest, parsePerfReport, symbolsPerRequest } from '../../../bench/lib/perf-origins';

const REPORT = `
     4.12%           620  node                    [.] Builtins_KeyedLoadIC_Megamorphic
     2.10%           316  [JIT] tid 26356         [.] JS:*seenBefore /work/main/dist/src/chaos/recent-keys.js:67:15
     1.95%           293  [JIT] tid 26356         [.] JS:*_resume /work/main/node_modules/undici/lib/dispatcher/client.js:588:18
     1.20%           180  [JIT] tid 26356         [.] JS:*onStreamRead node:internal/stream_base_commons:168:22
     1.02%           153  node                    [.] Builtins_RecordWriteSaveFP
     0.90%           135  node                    [.] Builtins_StringAdd_CheckNone
     0.85%           128  [kernel.kallsyms]       [k] tcp_v4_rcv
     0.60%            90  node                    [.] v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>(v8::internal::FullHeapObjectSlot, v8::internal::HeapObject)
     0.55%            83  libc.so.6               [.] _int_malloc
     0.50%            75  node                    [.] llhttp__internal_execute
     0.40%            60  node                    [.] node::StreamBase::ReadStart()
     0.30%            45  [JIT] tid 26356         [.] JS:*observe /work/main/node_modules/prom-client/lib/histogram.js:200:10
     0.10%            15  [JIT] tid 26356         [.] JS:^flushBatch /work/main/dist/src/journal/writer.js:86:18
`;

describe('bench perf origins', () => {
  it('parses every sample line, JIT DSOs with spaces included', () => {
    const lines = parsePerfReport(REPORT);
    expect(lines).to.have.length(13);
    expect(lines[1]).to.deep.equal({ samples: 316, dso: '[JIT] tid 26356', kind: '.', sym: 'JS:*seenBefore /work/main/dist/src/chaos/recent-keys.js:67:15' });
    expect(lines[6].kind).to.equal('k');
  });

  it('charges each line to its origin', () => {
    const origins = parsePerfReport(REPORT).map(originOf);
    expect(origins).to.deep.equal([
      'builtins: inline caches', 'JS: doubletap', 'JS: undici', 'JS: Node', 'builtins: write barrier', 'builtins: other',
      'kernel', 'GC', 'libc (malloc, memcpy)', 'llhttp', 'Node/V8 C++', 'JS: prom-client', 'JS: doubletap',
    ]);
  });

  it('turns samples into µs of CPU per request', () => {
    // At 1,000 samples a second a sample is 1,000 µs of CPU; spread over 4,000 requests, 0.25 µs each.
    const per = originsPerRequest(parsePerfReport(REPORT), 1000, 4000);
    expect(per.get('JS: doubletap')).to.be.closeTo((316 + 15) * 1000 / 4000, 1e-9);
    expect(per.get('kernel')).to.be.closeTo(128 * 1000 / 4000, 1e-9);
    expect([...per.values()].reduce((s, x) => s + x, 0)).to.be.closeTo((620 + 316 + 293 + 180 + 153 + 135 + 128 + 90 + 83 + 75 + 60 + 45 + 15) * 0.25, 1e-9);
  });

  it('charges samples to symbols too, each named with its origin, repeated symbols summed', () => {
    const twice = parsePerfReport(REPORT + '     0.05%             8  node                    [.] Builtins_KeyedLoadIC_Megamorphic\n');
    const per = symbolsPerRequest(twice, 1000, 4000);
    expect(per.get('builtins: inline caches: Builtins_KeyedLoadIC_Megamorphic')).to.be.closeTo((620 + 8) * 0.25, 1e-9);
    expect(per.get('JS: doubletap: JS:^flushBatch /work/main/dist/src/journal/writer.js:86:18')).to.be.closeTo(15 * 0.25, 1e-9);
    expect(per.size).to.equal(13);
  });
});
