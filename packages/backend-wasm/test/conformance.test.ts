/** The shared conformance suite (tooling/conformance) on the wasm backend. */
import "../src/index.js";
import { describeConformance } from "@tessera/conformance";

describeConformance({ backend: "wasm" });
