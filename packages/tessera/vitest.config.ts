import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "tessera", include: ["test/**/*.test.ts"] },
});
