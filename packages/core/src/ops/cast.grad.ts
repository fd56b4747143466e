/** Gradient of Cast: between float/complex dtypes dy is cast back (complex → real keeps the real part); to or from integers there is none. */
import { isDifferentiableDtype } from "../gradients/grad-utils.js";
import { registerGradient } from "../gradients/registry.js";
import { cast } from "./cast.js";

registerGradient("Cast", {
  grad: (dy, { inputDtypes }) => [isDifferentiableDtype(inputDtypes[0]!) ? cast(dy, inputDtypes[0]!) : null],
});
