import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const core = fileURLToPath(new URL("../../core/dist/index.js", import.meta.url));
const wasm = fileURLToPath(new URL("../dist/index.js", import.meta.url));

describe("worker threads", () => {
  it("do not keep a Node process alive once the script is done", () => {
    const script = `
      const tf = await import(${JSON.stringify(core)});
      const { configureWasmBackend } = await import(${JSON.stringify(wasm)});
      configureWasmBackend({ threads: 2 });
      await tf.setBackend("wasm");
      const a = tf.ones([512, 512]);
      tf.matmul(a, a).dataSync();
      console.log("done");`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.stdout.trim()).toBe("done");
    expect(r.signal).toBeNull(); // killed by the timeout means the process hung
    expect(r.status).toBe(0);
  }, 40_000);
});
