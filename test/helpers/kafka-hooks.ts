// Mocha root hook (listed in .mocharc.cjs): stop the test broker once, after every test file ran.
import { stopBrokerIfStarted } from './kafka-broker';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopBrokerIfStarted();
  },
};
