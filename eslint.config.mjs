// Lint: ESLint's recommended rules and typescript-eslint's (syntax-only, so a lint run stays fast:
// `tsc` in `npm run typecheck` does the type-aware checking). Formatting is prettier's job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "generated/**",
      "node_modules/**",
      "examples/downstream/node_modules/**",
      "examples/downstream/build/**",
      "reports/**",
      "coverage/**",
      "out/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { process: "readonly", console: "readonly" } },
    rules: {
      // Unused names are errors, except `_`-prefixed ones (kept to show a parameter's place).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // OpenAPI documents are untyped JSON that the spec tools walk and mutate: typing every shape
    // they may hold would restate the OpenAPI schema, so `any` is allowed for them.
    files: ["scripts/**/*.ts", "test/scripts/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The CLI tests read terminal output and match its ANSI escape sequences on purpose.
    files: ["test/cli/**/*.ts"],
    rules: { "no-control-regex": "off" },
  },
  {
    files: ["**/*.cjs", "**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        setInterval: "readonly",
      },
    },
    rules: {
      // CommonJS files (jest config, Prism fixtures) load modules with require by design.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
