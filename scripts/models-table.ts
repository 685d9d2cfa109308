/**
 * Prints the per-model values table of docs/models.md from generated/ (paste it there after
 * `npm run generate`; test/docs-models.test.ts fails until the doc holds it).
 */
import { modelsTable } from "./lib/models-table";

process.stdout.write(`${modelsTable()}\n`);
