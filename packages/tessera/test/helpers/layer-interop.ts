/**
 * One layer in a functional model, saved by Tessera and loaded by TensorFlow.js and the other way
 * round, predicting the same; weights are set to random values first (positive where a weight must
 * be, e.g. variances) so that the weights' order and layout are what is checked.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tfc from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import { expect } from "vitest";
import { maxDiff, tfjsFileLoader, tfjsFileSaver } from "./tfjs-files.js";

/** One layer on both sides. */
export interface InteropSpec {
  name: string;
  /** The layer, or layers applied one after the other (the last one is the one checked). */
  ours: () => tf.keras.layers.Layer | tf.keras.layers.Layer[];
  theirs: () => tfl.layers.Layer | tfl.layers.Layer[];
  /** Per-example input shape (several for layers with several inputs). */
  input: number[] | number[][];
  /** Integer data in [0, int). */
  int?: number;
  /** Largest accepted difference (default 1e-5). */
  tol?: number;
}

let counter = 0;
const root = mkdtempSync(join(tmpdir(), "tessera-interop-"));
const freshDir = () => join(root, `m${counter++}`);

/** Deterministic data in [-2, 2) (or integers in [0, int)). */
export function randomData(shape: number[], seed: number, int?: number): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed * 7919 + 1;
  const next = () => ((s = (s * 48271) % 2147483647), s / 2147483647);
  return Array.from({ length: n }, () => (int === undefined ? next() * 4 - 2 : Math.floor(next() * int)));
}

const inputsOf = (s: InteropSpec): number[][] => (Array.isArray(s.input[0]) ? (s.input as number[][]) : [s.input as number[]]);
const vals = (t: tf.Tensor | tfc.Tensor): number[] => Array.from(t.dataSync() as Float32Array);

/** Random weights for a list of shapes: in [0.5, 1.5) for weights named like variances, else [-1, 1). */
function randomWeights(specs: { name: string; shape: number[] }[], seed: number): { data: number[]; shape: number[] }[] {
  return specs.map((w, i) => {
    const d = randomData(w.shape, seed + i);
    return { data: /variance/.test(w.name) ? d.map((v) => 1 + v / 4) : d.map((v) => v / 2), shape: w.shape };
  });
}

/** Runs the round trip both ways and the config round trip in Tessera; returns nothing, asserts. */
export async function checkInterop(s: InteropSpec): Promise<void> {
  const tol = s.tol ?? 1e-5;
  const shapes = inputsOf(s).map((shape) => [3, ...shape]);
  const xs = inputsOf(s).map((shape, i) => randomData([3, ...shape], 40 + i, s.int));
  const ourInputs = () => xs.map((x, i) => tf.constant(x, { shape: shapes[i]!, dtype: "float32" }));
  const theirInputs = () => xs.map((x, i) => tfc.tensor(x, shapes[i]!));

  // Tessera → TF.js
  const ins = inputsOf(s).map((shape) => tf.keras.Input({ shape }));
  let out: tf.keras.KerasTensor | tf.keras.KerasTensor[] = ins.length === 1 ? ins[0]! : ins;
  for (const l of ([] as tf.keras.layers.Layer[]).concat(s.ours())) out = l.apply(out as tf.keras.KerasTensor) as tf.keras.KerasTensor;
  const ours = new tf.keras.Model({ inputs: ins.length === 1 ? ins[0]! : ins, outputs: out as tf.keras.KerasTensor });
  try {
    const w = randomWeights(ours.weights.map((v) => ({ name: v.name, shape: v.shape.slice() })), 5);
    tf.tidy(() => ours.setWeights(w.map((x) => tf.constant(x.data, { shape: x.shape, dtype: "float32" }))));
    const dir = freshDir();
    await ours.save(dir);
    const there = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const theirPred = tfc.tidy(() => there.predict(theirInputs()) as tfc.Tensor);
    const ourPred = tf.tidy(() => ours.predict(ourInputs()) as tf.Tensor);
    expect(ourPred.shape).toEqual(theirPred.shape);
    expect(maxDiff(vals(ourPred), vals(theirPred)), `${s.name}: Tessera → TF.js`).toBeLessThan(tol);
    ourPred.dispose();
    theirPred.dispose();
    there.dispose();
    // The config round-trips in Tessera.
    const layer = ours.layers[ours.layers.length - 1]!;
    const again = tf.keras.models.layerFromConfig({ class_name: layer.getClassName(), config: layer.getConfig() });
    expect(again.getConfig()).toEqual({ ...layer.getConfig(), name: layer.name });
    again.dispose();
  } finally {
    ours.dispose();
  }

  // TF.js → Tessera
  const tIns = inputsOf(s).map((shape) => tfl.input({ shape }));
  let tOut: tfl.SymbolicTensor | tfl.SymbolicTensor[] = tIns.length === 1 ? tIns[0]! : tIns;
  for (const l of ([] as tfl.layers.Layer[]).concat(s.theirs())) tOut = l.apply(tOut) as tfl.SymbolicTensor;
  const theirs = tfl.model({ inputs: tIns, outputs: tOut as tfl.SymbolicTensor });
  const w = randomWeights(theirs.weights.map((v) => ({ name: v.name, shape: v.shape as number[] })), 9);
  theirs.setWeights(w.map((x) => tfc.tensor(x.data, x.shape)));
  const dir2 = freshDir();
  await theirs.save(tfjsFileSaver(dir2));
  const here = await tf.keras.models.loadModel(dir2);
  try {
    expect(here.layers[here.layers.length - 1]!.getClassName()).toBe(theirs.layers[theirs.layers.length - 1]!.getClassName());
    const expected = tfc.tidy(() => theirs.predict(theirInputs()) as tfc.Tensor);
    const got = tf.tidy(() => here.predict(ourInputs()) as tf.Tensor);
    expect(got.shape).toEqual(expected.shape);
    expect(maxDiff(vals(got), vals(expected)), `${s.name}: TF.js → Tessera`).toBeLessThan(tol);
    got.dispose();
    expected.dispose();
  } finally {
    here.dispose();
    theirs.dispose();
  }
}
