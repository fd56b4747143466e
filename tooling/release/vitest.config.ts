import { defineProject } from "vitest/config";

// Packing and installing into a fresh project takes minutes on a small machine: done once for all
// test files (consumer-setup.ts), with long timeouts.
export default defineProject({
  test: { name: "release", include: ["test/**/*.test.ts"], globalSetup: ["./consumer-setup.ts"], testTimeout: 300_000, hookTimeout: 400_000 },
});
