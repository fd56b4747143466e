import { defineConfig } from "vitest/config";

// One run over every package's tests (each package has its own vitest.config.ts project).
// CI sets VITEST_JSON to collect the counts .ci/run prints.
const json = process.env["VITEST_JSON"];

export default defineConfig({
  test: {
    projects: ["packages/*", "tooling/*", "apps/*"],
    reporters: json ? ["default", ["json", { outputFile: json }]] : ["default"],
  },
});
