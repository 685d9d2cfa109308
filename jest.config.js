/** @type {import('jest').Config} */
const transform = {
  "^.+\\.[tj]s$": [
    "ts-jest",
    {
      tsconfig: { module: "commonjs", moduleResolution: "node10", allowJs: true, esModuleInterop: true, target: "ES2022", isolatedModules: true },
    },
  ],
};

module.exports = {
  reporters: ["default", ["jest-junit", { outputDirectory: "reports", outputName: "junit.xml", addFileAttribute: "true" }]],
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      transformIgnorePatterns: ["/node_modules/"],
      testMatch: ["<rootDir>/test/**/*.test.ts"],
    },
  ],
};
