import { expect } from 'chai';
import { RUN_PHASES, createMetrics, setRunPhase } from '../../src/metrics';

describe('metrics: doubletap_run_phase', () => {
  it('exports every phase from the first set: 1 for the current one, 0 for the others', async () => {
    const m = createMetrics();
    setRunPhase(m, 'baseline');
    setRunPhase(m, 'chaos');
    const values = (await m.runPhase.get()).values.map((v) => [v.labels.phase, v.value]);
    expect(values).to.have.deep.members(RUN_PHASES.map((p) => [p, p === 'chaos' ? 1 : 0]));
    expect(await m.registry.metrics()).to.include('doubletap_run_phase{phase="chaos"} 1');
  });
});
