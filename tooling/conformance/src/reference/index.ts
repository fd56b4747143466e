/** The float64 reference, for suites that plug into the conformance run (e.g. gradient checks). */
export * from "./conv.js";
export * from "./elementwise.js";
export * from "./indexing.js";
export * from "./linalg.js";
export * from "./movement.js";
export * from "./reduce.js";
