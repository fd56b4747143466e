/** Fill makes a tensor from nothing: no inputs, so nothing to differentiate. */
import { registerNonDifferentiable } from "../gradients/registry.js";

registerNonDifferentiable("Fill");
