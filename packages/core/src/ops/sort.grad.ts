/**
 * TopK and SearchSorted give int32 positions: not differentiable. The values of `tf.sort` and
 * `tf.math.topK` are a Gather of those positions, whose gradient scatters dy back (gather.grad.ts).
 */
import { registerNonDifferentiable } from "../gradients/registry.js";

registerNonDifferentiable("TopK", "SearchSorted");
