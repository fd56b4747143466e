/**
 * The parts of Tessera's public API (docs: /work/shared/API.md) that the benches use but that may
 * not have landed in @tessera/core yet: GradientTape and keras. They are looked up at run time, so a
 * case reports "unavailable" until the feature exists and lights up without edits once it does.
 */
import type { Tensor, Variable } from "@tessera/core";
import { Unavailable } from "../types.js";

export interface GradientTape {
  record<T>(fn: () => T): T;
  watch(t: Tensor | Tensor[]): void;
  gradient(target: Tensor, sources: Tensor[]): (Tensor | null)[];
  dispose(): void;
}
export type GradientTapeClass = new (opts?: { persistent?: boolean; watchAccessedVariables?: boolean }) => GradientTape;

export interface Layer {
  readonly variables: Variable[];
}
export interface Optimizer {
  applyGradients(pairs: [Tensor, Variable][]): void;
}
export interface History {
  history: Record<string, number[]>;
}
export interface Sequential extends Layer {
  compile(args: { optimizer: Optimizer; loss: unknown; metrics?: string[] }): void;
  fit(x: Tensor, y: Tensor, args: { epochs: number; batchSize: number; shuffle?: boolean; verbose?: number }): Promise<History>;
  predict(x: Tensor): Tensor;
  setWeights(weights: Tensor[]): void;
}
export interface Keras {
  Sequential: new (layers: Layer[]) => Sequential;
  layers: { Dense: new (units: number, opts?: { activation?: string; inputShape?: number[] }) => Layer };
  optimizers: { Adam: new (opts: { learningRate: number }) => Optimizer };
  losses: { SparseCategoricalCrossentropy: new (opts?: { fromLogits?: boolean }) => unknown };
}

/** `root.a.b.c`, or Unavailable naming what is missing. */
function lookup(root: unknown, path: readonly string[]): unknown {
  let at: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const next = at !== null && (typeof at === "object" || typeof at === "function") ? (at as Record<string, unknown>)[path[i]!] : undefined;
    if (next === undefined) throw new Unavailable(`tf.${path.slice(0, i + 1).join(".")} is not in @tessera/core yet`);
    at = next;
  }
  return at;
}

export function gradientTape(tf: unknown): GradientTapeClass {
  return lookup(tf, ["GradientTape"]) as GradientTapeClass;
}

/** tf.keras with every member the benches use, or Unavailable naming the first one missing. */
export function keras(tf: unknown): Keras {
  for (const path of [
    ["keras", "Sequential"],
    ["keras", "layers", "Dense"],
    ["keras", "optimizers", "Adam"],
    ["keras", "losses", "SparseCategoricalCrossentropy"],
  ]) {
    lookup(tf, path);
  }
  return lookup(tf, ["keras"]) as Keras;
}
