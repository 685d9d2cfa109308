import Ajv2020 from "ajv/dist/2020";
import standaloneCode from "ajv/dist/standalone";
import { build } from "esbuild";
import { SpecInputError } from "./spec-input-error";

/** A schema to compile, with the JSON pointer it came from (for error messages). */
export interface NamedSchema {
  schema: object;
  pointer: string;
}

/**
 * Compiles JSON Schemas (2020-12) into one self-contained ES module of validation functions,
 * ahead of time: Ajv's standalone code, bundled by esbuild so the few Ajv runtime helpers it
 * `require()`s are inlined. Nothing is compiled with eval or new Function at run time.
 * An invalid schema is a SpecInputError naming its JSON pointer in the spec. `epilogue` is module
 * code appended before bundling (it may refer to the exported validators by name).
 */
export async function emitValidators(
  schemas: Record<string, NamedSchema>,
  resolveDir: string,
  epilogue = "",
): Promise<string> {
  // The emitted validators carry no message strings (src/validation.ts words every issue, and each
  // message costs bytes in the browser bundle); the schemas themselves are checked with messages on.
  const checker = new Ajv2020({ strict: false });
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    messages: false,
    code: { source: true, esm: true, lines: true },
  });
  for (const [name, { schema, pointer }] of Object.entries(schemas)) {
    if (!checker.validateSchema(schema)) {
      const reasons = (checker.errors ?? []).map((error) => `  at ${pointer}${error.instancePath}: ${error.message}`);
      throw new SpecInputError(`invalid JSON Schema in the spec:\n${[...new Set(reasons)].join("\n")}`);
    }
    ajv.addSchema(schema, name);
  }
  const exportsByName = Object.fromEntries(Object.keys(schemas).map((name) => [name, name]));
  const source = standaloneCode(ajv, exportsByName);
  const result = await build({
    stdin: { contents: `${source}\n${epilogue}`, resolveDir, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
