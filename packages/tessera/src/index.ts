/**
 * tessera — TensorFlow 2's eager model for TypeScript: everything in @tessera/core, with the
 * backends registered on import.
 */
export * from "@tessera/core";
import "@tessera/backend-js";
