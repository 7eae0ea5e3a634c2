import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIcLog, propertyOrder, readIcLog, worsened } from '../../../bench/lib/ic-log';

// Lines in the form V8 11 (Node 20) writes with --log-ic --log-maps.
const code = (addr: string, size: number, name: string) => `code-creation,JS,10,100,${addr},${size},${name},0x1,~`;
const ic = (type: string, pc: string, line: number, col: number, from: string, to: string, map: string, key: string) =>
  `${type},${pc},200,${line},${col},${from},${to},${map},${key},,`;
const transition = (from: string, to: string, name: string) => `map,Transition,300,${from},${to},0x1,1,1,,${name}`;

const baseline = [
  code('0x1000', 0x100, 'web /app/dist/src/http/forward.js:25:12'),
  ic('LoadIC', '0x1010', 28, 22, '0', '1', '0xaa', 'method'),
].join('\n');

const withCopies = [
  code('0x1000', 0x100, 'web /app/dist/src/http/forward.js:25:12'),
  code('0x2000', 0x80, 'Socket._writeGeneric node:net:927:42'),
  ic('LoadIC', '0x1010', 28, 22, '0', '1', '0xaa', 'method'),
  ic('LoadIC', '0x1010', 28, 22, '1', 'P', '0xbb', 'method'),
  ic('LoadIC', '0x2004', 931, 12, 'P', 'N', '0xcc', 'connecting'),
  ic('LoadIC', '0x9999', 1, 1, '0', '1', '0xdd', 'elsewhere'),
  transition('0x10', '0xaa', 'host'),
  transition('0x11', '0xbb', 'content-length'),
  transition('0x10', '0x11', 'host'),
].join('\n');

describe('bench/ic-log', () => {
  it('names each site by its function and keeps the worst state and every map it met', () => {
    const log = parseIcLog(withCopies);
    const web = log.sites.get('LoadIC @28:22 .method')!;
    expect(web.fn).to.equal('web /app/dist/src/http/forward.js:25:12');
    expect(web.level).to.equal(2);
    expect([...web.maps]).to.deep.equal(['0xaa', '0xbb']);
    expect(log.sites.get('LoadIC @931:12 .connecting')!.level).to.equal(3);
    expect(log.sites.get('LoadIC @1:1 .elsewhere')!.fn).to.equal(undefined); // pc outside every code object
  });

  it('lists the sites worse than in the baseline, polymorphic and up', () => {
    const worse = worsened(parseIcLog(baseline), parseIcLog(withCopies));
    expect(worse.map((w) => [w.site.site, w.was, w.site.level])).to.deep.equal([
      ['LoadIC @931:12 .connecting', 1, 3],
      ['LoadIC @28:22 .method', 1, 2],
    ]);
  });

  it('a map\'s property order, oldest first, as far as the transitions were logged', () => {
    const log = parseIcLog(withCopies);
    expect(propertyOrder(log, '0xbb')).to.deep.equal(['host', 'content-length']);
    expect(propertyOrder(log, '0xaa')).to.deep.equal(['host']);
    expect(propertyOrder(log, '0xee')).to.deep.equal([]);
  });

  it('reads a log file larger than its read buffer, lines cut across reads included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ic-log-'));
    try {
      const filler = Array.from({ length: 40_000 }, (_, i) => `tick,0x${i.toString(16)},${i},0,0,0x0,0,0,0,0,0,0,0,0,0,0,0,0,0,0`);
      const file = join(dir, 'v8.log');
      writeFileSync(file, [filler.join('\n'), withCopies].join('\n'));
      const log = readIcLog(file);
      expect(log.sites.size).to.equal(parseIcLog(withCopies).sites.size);
      expect(log.sites.get('LoadIC @28:22 .method')).to.deep.include({ fn: 'web /app/dist/src/http/forward.js:25:12', level: 2 });
      expect(propertyOrder(log, '0xbb')).to.deep.equal(['host', 'content-length']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
