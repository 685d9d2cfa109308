import fc from "fast-check";
import {
  createSoraClient,
  RequestValidationError,
  REQUEST_ENUMS,
  REQUIRED_REQUEST_FIELDS,
  type VideoGenerationRequest,
} from "../../src/index";
import { CANARY_KEY, VALID_REQUEST, VALID_RESPONSE, jsonResponse, recordingFetch } from "../helpers/fetch";

const enumFields = Object.keys(REQUEST_ENUMS) as Array<keyof typeof REQUEST_ENUMS>;
const stringFields = ["model", "prompt", "image_url", ...enumFields];
const nonString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

const validBase = fc
  .record(
    {
      resolution: fc.constantFrom(...REQUEST_ENUMS.resolution),
      aspect_ratio: fc.constantFrom(...REQUEST_ENUMS.aspect_ratio),
      duration: fc.constantFrom(...REQUEST_ENUMS.duration),
    },
    { requiredKeys: [] },
  )
  .map((optional) => ({ ...VALID_REQUEST, ...optional }) as Record<string, unknown>);

/** A valid body with one or more of: a required field removed, an enum outside its values, a wrong type. */
const invalidBody = fc
  .tuple(
    validBase,
    fc.array(
      fc.oneof(
        fc
          .constantFrom(...REQUIRED_REQUEST_FIELDS.filter((field) => field !== "model"))
          .map((field) => (body: Record<string, unknown>) => void delete body[field]),
        fc
          .tuple(fc.constantFrom(...enumFields), fc.string())
          .filter(([field, value]) => !(REQUEST_ENUMS[field] as readonly string[]).includes(value))
          .map(
            ([field, value]) =>
              (body: Record<string, unknown>) =>
                void (body[field] = value),
          ),
        fc.tuple(fc.constantFrom(...stringFields), nonString).map(
          ([field, value]) =>
            (body: Record<string, unknown>) =>
              void (body[field] = value),
        ),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([body, mutations]) => {
    for (const mutate of mutations) mutate(body);
    return body;
  });

describe("request validation (property-based)", () => {
  test("any invalid body gives RequestValidationError with at least one issue, and zero requests", async () => {
    await fc.assert(
      fc.asyncProperty(invalidBody, async (body) => {
        const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
        const sora = createSoraClient({ apiKey: CANARY_KEY, fetch });
        const error = await sora.generateVideo(body as VideoGenerationRequest).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RequestValidationError);
        expect((error as RequestValidationError).issues.length).toBeGreaterThan(0);
        expect(requests).toHaveLength(0);
      }),
      { numRuns: 500, seed: 20261124 },
    );
  });

  test("any valid body passes and is sent exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(validBase, async (body) => {
        const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
        await createSoraClient({ apiKey: CANARY_KEY, fetch }).generateVideo(body as VideoGenerationRequest);
        expect(requests).toHaveLength(1);
      }),
      { numRuns: 100, seed: 20261124 },
    );
  });
});
