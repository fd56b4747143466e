/**
 * The main job's demo: TensorFlow 2's seed examples on Tessera, printed as TensorFlow prints them.
 * Then MNIST training on real digits (sections/mnist.ts).
 * `pnpm demo` (or `pnpm --filter @tessera/demo start`); `TESSERA_BACKEND=js|wasm|webgpu` picks the backend.
 */
import { SECTIONS } from "./sections/index.js";
import { MNIST_SECTIONS } from "./sections/mnist.js";
import { header, runSections } from "./walkthrough.js";

const log = (...args: unknown[]) => console.log(...args);
await header(log);
await runSections(SECTIONS, log);
// The MNIST part: train_step loop, fit, a CNN, and the loss-curve plot.
const t0 = performance.now();
await runSections(MNIST_SECTIONS, log);
log(`\nMNIST part done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
