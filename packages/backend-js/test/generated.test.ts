import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/gen-kernels.mjs", import.meta.url));

describe("generated elementwise loops", () => {
  it("are up to date with scripts/gen-kernels.mjs (run `pnpm gen` after editing it)", () => {
    const fresh = JSON.parse(execFileSync(process.execPath, [script, "--print"], { encoding: "utf8" })) as Record<string, string>;
    for (const [file, text] of Object.entries(fresh)) {
      const onDisk = readFileSync(fileURLToPath(new URL(`../src/kernels/generated/${file}`, import.meta.url)), "utf8");
      expect(onDisk, file).toBe(text);
    }
  });
});
