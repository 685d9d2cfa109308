/** @type {import('jest').Config} */
const transform = {
  "^.+\\.[tj]s$": [
    "ts-jest",
    {
      tsconfig: {
        module: "commonjs",
        moduleResolution: "node10",
        allowJs: true,
        esModuleInterop: true,
        target: "ES2022",
        isolatedModules: true,
      },
    },
  ],
};

module.exports = {
  // Jest's default is one worker fewer than the cores: one on this project's 2-core machines. Most
  // suites wait on child processes, loopback servers and timers, so one worker more than the cores
  // keeps both busy: on 2 cores the whole run took 86.7 s with 2 workers, 67.0 s with 3, 70.5 s with 4.
  maxWorkers: 3,
  reporters: [
    "default",
    ["jest-junit", { outputDirectory: "reports", outputName: "junit.xml", addFileAttribute: "true" }],
  ],
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      transformIgnorePatterns: ["/node_modules/"],
      testMatch: ["<rootDir>/test/**/*.test.ts"],
    },
    {
      // The contract suite: Prism from the verbatim spec (or CONTRACT_BASE_URL), see docs/contract-suite.md.
      displayName: "contract",
      testEnvironment: "node",
      transform,
      transformIgnorePatterns: ["/node_modules/"],
      testMatch: ["<rootDir>/contract-tests/**/*.test.ts"],
      globalSetup: "<rootDir>/contract-tests/setup/global-setup.ts",
      globalTeardown: "<rootDir>/contract-tests/setup/global-teardown.ts",
      setupFilesAfterEnv: ["<rootDir>/contract-tests/setup/count-tests.ts"],
    },
  ],
};
