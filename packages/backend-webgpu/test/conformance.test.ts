/** The shared conformance suite on webgpu (lavapipe in CI). */
import "../src/index.js";
import { describeConformance } from "@tessera/conformance";

describeConformance({ backend: "webgpu" });
