import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "backend-js", include: ["test/**/*.test.ts"] },
});
