import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { WasmBackend } from "../src/backend.js";
import { configureWasmBackend } from "../src/index.js";
import { binaryUrl } from "../src/platform.js";

const buildDir = fileURLToPath(new URL("../build/", import.meta.url));
const moved = mkdtempSync(join(tmpdir(), "tessera-wasm-paths-"));
copyFileSync(join(buildDir, "tessera-simd.wasm"), join(moved, "renamed-simd.wasm"));
copyFileSync(join(buildDir, "tessera-simd.wasm"), join(moved, "tessera-simd.wasm"));
afterAll(() => rmSync(moved, { recursive: true, force: true }));

describe("wasmPaths", () => {
  it("resolves a directory (path, URL, with or without a trailing slash) and per-file entries", () => {
    expect(binaryUrl("tessera-simd", moved).href).toBe(pathToFileURL(join(moved, "tessera-simd.wasm")).href);
    expect(binaryUrl("tessera-simd", `${moved}/`).href).toBe(pathToFileURL(join(moved, "tessera-simd.wasm")).href);
    expect(binaryUrl("tessera-relaxed", "https://cdn.example/t/").href).toBe("https://cdn.example/t/tessera-relaxed.wasm");
    expect(binaryUrl("tessera-relaxed", new URL("https://cdn.example/t")).href).toBe("https://cdn.example/t/tessera-relaxed.wasm");
    expect(binaryUrl("tessera-simd", { "tessera-simd.wasm": "https://x.example/a.wasm" }).href).toBe("https://x.example/a.wasm");
    // Files the map does not name stay where the package has them.
    expect(binaryUrl("tessera-relaxed", { "tessera-simd.wasm": "https://x.example/a.wasm" }).href).toBe(new URL("../build/tessera-relaxed.wasm", import.meta.url).href);
  });

  it("loads the binary from the directory or file it is given (sync and async)", async () => {
    const a = WasmBackend.createSync({ threads: 1, relaxedSimd: false, wasmPaths: moved });
    expect(a.binary).toBe("tessera-simd");
    a.dispose();
    const b = await WasmBackend.create({ threads: 1, relaxedSimd: false, wasmPaths: { "tessera-simd.wasm": join(moved, "renamed-simd.wasm") } });
    expect(b.describe()).toMatch(/^wasm \(SIMD, 1 thread\)/);
    b.dispose();
  });

  it("names the file it could not find", async () => {
    const nowhere = join(moved, "missing");
    await expect(WasmBackend.create({ threads: 1, relaxedSimd: false, wasmPaths: nowhere })).rejects.toThrow(/tessera-simd\.wasm/);
    expect(() => WasmBackend.createSync({ threads: 1, relaxedSimd: false, wasmPaths: nowhere })).toThrow(/tessera-simd\.wasm/);
  });

  it("rejects bad options early", () => {
    expect(() => configureWasmBackend({ wasmPaths: { "simd.wasm": "x" } as never })).toThrow(/unknown wasmPaths key 'simd.wasm'/);
    expect(() => configureWasmBackend({ wasmPaths: 42 as never })).toThrow(/wasmPaths must be a directory/);
    expect(() => configureWasmBackend({ wasmPaths: { "tessera-simd.wasm": 1 } as never })).toThrow(/must be a string or URL/);
  });
});

describe("loading without top-level await", () => {
  it("require() of the built package works (Node >= 20.19)", () => {
    const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `const m = require(${JSON.stringify(entry)}); console.log(typeof m.configureWasmBackend, typeof m.WasmBackend);`;
    const r = spawnSync(process.execPath, ["--no-warnings", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("function function");
  });
});
