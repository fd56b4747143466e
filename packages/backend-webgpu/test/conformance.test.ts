/** The shared conformance suite on webgpu (lavapipe in CI). */
import "../src/index.js";
import { describeConformance } from "@tessera/conformance";

describeConformance({
  backend: "webgpu",
  // complex64 is not held on webgpu (see README), so its four conversion kernels do not exist here.
  expectMissing: ["Complex", "Real", "Imag", "Conj"],
});
