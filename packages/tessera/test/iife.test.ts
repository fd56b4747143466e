/**
 * dist/tessera.iife.js (built by scripts/build-iife.mjs): one classic script that defines the global
 * `tf`. Run here in a fresh Node process as a plain script (no module system), on js, and on wasm once
 * told where the binaries are.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bundle = fileURLToPath(new URL("../dist/tessera.iife.js", import.meta.url));
const wasmDir = fileURLToPath(new URL("../../backend-wasm/build/", import.meta.url));

function runScript(body: string): { stdout: string; stderr: string; status: number | null } {
  const script = `
    const vm = require("node:vm");
    vm.runInThisContext(require("node:fs").readFileSync(${JSON.stringify(bundle)}, "utf8"), { filename: "tessera.iife.js" });
    (async () => { ${body} })().catch((e) => { console.log("error " + e.message); });`;
  const env = { ...process.env };
  delete env["TESSERA_BACKEND"];
  return spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env });
}

describe("the IIFE bundle", () => {
  it("is a classic script: no import/export statements", () => {
    const code = readFileSync(bundle, "utf8");
    expect(code.startsWith("/*! @tessera/tf")).toBe(true);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
  });

  it("defines the global tf and computes on js", () => {
    const r = runScript(`await tf.setBackend("js"); console.log(tf.reduceSum(tf.add(tf.constant([1, 2, 3]), 1)).toString());`);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("tf.Tensor(9, shape=(), dtype=int32)");
  }, 60_000);

  it("runs wasm when given wasmPaths, and says to give them when not", () => {
    const without = runScript(`await tf.setBackend("wasm");`);
    expect(without.stdout).toMatch(/configureWasmBackend\(\{ wasmPaths \}\)/);
    const r = runScript(`tf.configureWasmBackend({ wasmPaths: ${JSON.stringify(wasmDir)}, threads: 1 }); await tf.setBackend("wasm");
      console.log(tf.getBackend(), tf.matmul(tf.constant([[1, 2]]), tf.constant([[3], [4]])).toString());`);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("wasm tf.Tensor([[11]], shape=(1, 1), dtype=int32)");
  }, 60_000);
});
