/** Gradient of Identity (identity, same-dtype cast, no-op slices and tiles): dy itself. */
import { registerGradient } from "../gradients/registry.js";
import { reshapeIfNeeded } from "./reshape.js";

registerGradient("Identity", { grad: (dy, { inputShapes }) => [reshapeIfNeeded(dy, inputShapes[0]!)] });
