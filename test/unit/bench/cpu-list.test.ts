import { expect } from 'chai';
import { parseCpuList } from '../../../bench/lib/proc';

describe('bench pinning: cpu lists as taskset prints them', () => {
  it('expands ranges and single CPUs in order', () => {
    expect(parseCpuList('0-2,5\n')).to.deep.equal([0, 1, 2, 5]);
    expect(parseCpuList(' 1')).to.deep.equal([1]);
    expect(parseCpuList('0,2-3')).to.deep.equal([0, 2, 3]);
  });
});
