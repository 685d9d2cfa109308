import { recordEvent } from "../support/run-state";

// Every test that ran (skipped ones never reach afterEach) counts towards the run summary.
afterEach(() => recordEvent("test"));
