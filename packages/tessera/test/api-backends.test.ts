/**
 * API.md "Backends" with the js backend: switching, the registry and its errors, the default choice
 * (TESSERA_BACKEND, priorities, backends that cannot start — checked in fresh Node processes, since
 * the choice is made once per process), and tensors moving between backends.
 */
import { JsBackend } from "@tessera/backend-js";
import * as tf from "@tessera/core";
import type { KernelBackend } from "@tessera/core/kernel";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const { ValueError, NotImplementedError } = tf.errors;

/** Another js backend instance under its own name (a cheap second backend). */
function secondJs(name: string): KernelBackend {
  const b = new JsBackend();
  Object.defineProperty(b, "name", { value: name });
  return b;
}

/** Registers once per process (test files may share one). */
function register(name: string, factory: Parameters<typeof tf.registerBackend>[1]): void {
  if (!tf.listBackends().includes(name)) tf.registerBackend(name, factory);
}

beforeAll(async () => {
  await tf.setBackend("js");
});
afterAll(async () => {
  await tf.setBackend("js");
});

describe("switching backends", () => {
  it("setBackend, getBackend, ready, listBackends", async () => {
    expect(await tf.setBackend("js")).toBe(true);
    expect(tf.getBackend()).toBe("js");
    await expect(tf.ready()).resolves.toBeUndefined();
    expect(tf.listBackends()).toContain("js");
    const b = await tf.findBackend("js");
    expect(b.name).toBe("js");
    expect(typeof b.kernels.Add).toBe("function");
  });

  it("an unknown name is an error naming the registered backends", async () => {
    await expect(tf.setBackend("nope")).rejects.toThrow(ValueError);
    await expect(tf.setBackend("nope")).rejects.toThrow(/^Unknown backend 'nope'\. Registered backends: .*'js'/);
    expect(tf.getBackend()).toBe("js");
  });

  it("a backend that cannot start says why, and the active one stays", async () => {
    register("cannot-start", { priority: -100, create: () => { throw new Error("no WebGPU adapter here"); } });
    await expect(tf.setBackend("cannot-start")).rejects.toThrow(NotImplementedError);
    await expect(tf.setBackend("cannot-start")).rejects.toThrow("Backend 'cannot-start' cannot start here: no WebGPU adapter here");
    expect(tf.getBackend()).toBe("js");
    expect(tf.listBackends()).toContain("cannot-start");
  });

  it("a name can be registered once", () => {
    expect(() => tf.registerBackend("js", { priority: 0, create: () => new JsBackend() })).toThrow(/already registered/);
  });
});

describe("tensors on another backend", () => {
  it("an op moves them to the active backend, counted in tf.memory(), never failing for that reason", async () => {
    register("js-second", { priority: -100, create: () => secondJs("js-second") });
    await tf.setBackend("js");
    const a = tf.constant([1, 2, 3]);
    const m0 = tf.memory();
    await tf.setBackend("js-second");
    expect(tf.getBackend()).toBe("js-second");
    const b = tf.add(a, 1);
    expect(b.numpy()).toEqual([2, 3, 4]);
    const m1 = tf.memory();
    expect(m1.backend).toBe("js-second");
    expect(m1.numTensors).toBe(m0.numTensors + 1);
    expect(m1.numBytes).toBe(m0.numBytes + 12);
    expect(Object.keys(m1.backends)).toEqual(expect.arrayContaining(["js", "js-second"]));
    expect(a.numpy()).toEqual([1, 2, 3]);
    // And back, mixing tensors made on both.
    await tf.setBackend("js");
    const c = tf.constant([10, 10, 10]);
    const d = tf.tidy(() => tf.add(tf.add(a, b), c));
    expect(d.numpy()).toEqual([13, 15, 17]);
    expect(tf.memory().numTensors).toBe(m0.numTensors + 3);
    tf.dispose([a, b, c, d]);
    expect(tf.memory().numTensors).toBe(m0.numTensors - 1);
    expect(tf.memory().numBytes).toBe(m0.numBytes - 12);
  });
});

/** Runs `body` in a fresh Node process (a fresh engine) and returns what it prints. */
function fresh(body: string, env: Record<string, string | undefined> = {}): string {
  const script = `
    import { JsBackend } from "@tessera/backend-js";
    import * as tf from "@tessera/core";
    const named = (n) => { const b = new JsBackend(); Object.defineProperty(b, "name", { value: n }); return b; };
    try { ${body} } catch (e) { console.log("error", e.name, e.message); }
  `;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: childEnv as NodeJS.ProcessEnv,
    encoding: "utf8",
  }).trim();
}

describe("the default backend (fresh processes)", () => {
  it("with only js registered, js", () => {
    expect(fresh(`await tf.ready(); console.log(tf.getBackend());`, { TESSERA_BACKEND: undefined })).toBe("js");
    // A tensor made before ready() picks the backend synchronously.
    expect(fresh(`const t = tf.ones([2]); console.log(tf.getBackend(), t.dataSync().length);`, { TESSERA_BACKEND: undefined })).toBe("js 2");
  });

  it("the highest-priority backend that is preferred and starts; others are skipped", () => {
    const setup = `
      tf.registerBackend("gpu-like", { priority: 3, create: () => named("gpu-like"), preferred: () => false });
      tf.registerBackend("wasm-like", { priority: 2, create: () => { throw new Error("cannot compile"); } });
    `;
    expect(fresh(`${setup} await tf.ready(); console.log(tf.getBackend());`, { TESSERA_BACKEND: undefined })).toBe("js");
    expect(fresh(`tf.registerBackend("fast", { priority: 5, create: () => named("fast"), preferred: async () => true }); await tf.ready(); console.log(tf.getBackend());`, { TESSERA_BACKEND: undefined })).toBe("fast");
  });

  it("TESSERA_BACKEND wins, and an unknown one is an error naming the registered backends", () => {
    expect(fresh(`tf.registerBackend("fast", { priority: 5, create: () => named("fast") }); await tf.ready(); console.log(tf.getBackend());`, { TESSERA_BACKEND: "js" })).toBe("js");
    expect(fresh(`await tf.ready(); console.log(tf.getBackend());`, { TESSERA_BACKEND: "nope" })).toBe("error ValueError Unknown backend 'nope'. Registered backends: 'js'.");
  });
});
