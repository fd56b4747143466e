import "@tessera/backend-js";
import { describeConformance } from "@tessera/conformance";

describeConformance({ backend: "js" });
