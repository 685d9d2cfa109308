/**
 * `tsx drift-under.ts ROOT`: prints (as JSON) the files of ROOT/generated that drift from
 * ROOT/spec, with the same logic as `npm run generate:check`. Run in a child process: the
 * generator's dependencies cannot load inside CommonJS jest.
 */
import { driftedFiles } from "../../../scripts/generate";
import { generateFiles, readGenerationInputs } from "../../../scripts/lib/generate";
import { pathsUnder } from "../../../scripts/lib/paths";

async function main(root: string): Promise<void> {
  const paths = pathsUnder(root);
  const expected = await generateFiles(await readGenerationInputs(paths));
  process.stdout.write(JSON.stringify(await driftedFiles(paths.generated, expected)));
}

void main(process.argv[2]!);
