/**
 * The main job's demo: TensorFlow 2's seed examples on Tessera, printed as TensorFlow prints them.
 * `pnpm demo` (or `pnpm --filter @tessera/demo start`); `TESSERA_BACKEND=js|wasm|webgpu` picks the backend.
 */
import { SECTIONS } from "./sections/index.js";
import { header, runSections } from "./walkthrough.js";

const log = (...args: unknown[]) => console.log(...args);
await header(log);
await runSections(SECTIONS, log);
