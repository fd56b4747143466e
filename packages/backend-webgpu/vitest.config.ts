import { existsSync } from "node:fs";
import { defineProject } from "vitest/config";

// Pin Mesa's lavapipe when it is installed and nothing else was asked for: with several Vulkan drivers
// visible (e.g. SwiftShader from Debian's chromium) Dawn may pick another one.
const LAVAPIPE_ICD = "/usr/share/vulkan/icd.d/lvp_icd.json";
const env: Record<string, string> = {};
if (!process.env["VK_ICD_FILENAMES"] && existsSync(LAVAPIPE_ICD)) env["VK_ICD_FILENAMES"] = LAVAPIPE_ICD;

export default defineProject({
  test: {
    name: "backend-webgpu",
    include: ["test/**/*.test.ts"],
    // Dawn must live in a forked process (not a worker thread), one GPU device per file.
    pool: "forks",
    env,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
