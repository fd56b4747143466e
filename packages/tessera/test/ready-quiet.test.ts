import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The same rule the webgpu backend applies (src/hardware-hint.ts), checked independently here.
function hardwareNodes(): boolean {
  if (process.platform !== "linux") return true;
  const ls = (d: string): string[] => {
    try {
      return readdirSync(d);
    } catch {
      return [];
    }
  };
  return ls("/dev/dri").some((n) => n.startsWith("renderD") || n.startsWith("card")) || ls("/dev").some((n) => /^nvidia\d+$/.test(n) || n === "dxg");
}

describe.skipIf(hardwareNodes())("tf.ready() in Node without a hardware GPU", () => {
  it("picks a CPU backend without loading Dawn and prints nothing to stderr", () => {
    const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `
      import { createRequire } from "node:module";
      const tf = await import(${JSON.stringify(entry)});
      await tf.ready();
      const cache = createRequire(import.meta.url)("node:module")._cache;
      const dawn = Object.keys(cache).some((k) => k.endsWith("dawn.node"));
      console.log(JSON.stringify({ backend: tf.getBackend(), dawn }));`;
    const env = { ...process.env };
    delete env["TESSERA_BACKEND"];
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ backend: "wasm", dawn: false });
  });
});
