/**
 * @tessera/backend-js — the reference backend: every kernel in TypeScript on typed arrays, synchronous
 * reads. Importing this module registers it as "js".
 */
import { registerBackend } from "@tessera/core/kernel";
import { JsBackend } from "./backend.js";

export { JsBackend } from "./backend.js";

registerBackend("js", { priority: 1, create: () => new JsBackend(), createSync: () => new JsBackend() });
