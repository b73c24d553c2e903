import { createDefaultEsmPreset } from 'ts-jest';

export default {
  ...createDefaultEsmPreset({ tsconfig: 'tsconfig.json' }),
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
  // Most suites wait on child processes and loopback I/O, so two workers fit two cores.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/tools/plain-summary-reporter.js'],
};
