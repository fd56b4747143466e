import { defineProject } from "vitest/config";

// Packing and installing into fresh projects takes minutes on a small machine: one file, long timeouts.
export default defineProject({
  test: { name: "release", include: ["test/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 400_000 },
});
