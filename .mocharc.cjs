// TypeScript tests run through tsx; the reporter prints the plain `N passed, N failed` line CI reads.
module.exports = {
  require: ['tsx/cjs', './test/helpers/root-hooks.ts', './test/helpers/kafka-hooks.ts'],
  extension: ['ts'],
  reporter: './test/helpers/count-reporter.cjs',
  timeout: 30000,
  exit: true,
};
