/**
 * `sora-video-client/verify` (Node only): contract verification that ships with the package.
 * The case generator and verdict rules the repository's contract suite uses too, derived per
 * operation from the verbatim vendor specs read at run time from the installed package; a runner
 * against any provider (`verifyProvider`), a replay of recorded responses (`replayRecordings`),
 * and their report (summary line, failure lines, JUnit XML). `sora-video verify` is its CLI.
 */
export { requestCases, type CaseKind, type RequestCase } from "./cases";
export { ProviderUnreachableError, VerifyUsageError } from "./errors";
export { junitXml } from "./junit";
export { operationCases, type CaseSettings } from "./plan";
export { replayRecordings, type ReplayOptions } from "./replay";
export {
  failureLine,
  summaryLine,
  verifyPassed,
  type CaseOutcome,
  type CaseResult,
  type VerifyReport,
  type VerifySummary,
} from "./report";
export { contractBreach, envelopeIssues, successSchemaIssues } from "./response-contract";
export { verifyProvider, type VerifyOptions } from "./run";
export { contractOperations, specFiles, type ContractOperation } from "./spec";
export { packageSpecDir, SpecsNotFoundError } from "./locate-specs";
