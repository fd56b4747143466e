import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "tf", include: ["test/**/*.test.ts"] },
});
