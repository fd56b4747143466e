/** Bad input to GradientTape: each case throws a clear error, and the tape stays usable where that makes sense. */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import type { Tensor } from "@tessera/core";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(async () => {
  await tf.setBackend("js");
});

const f32 = (v: number | number[]): Tensor => tf.constant(v, "float32");
const vals = (t: Tensor | null): number[] => Array.from(t!.dataSync() as Float32Array);

function squareTape(persistent = false): { tape: tf.GradientTape; x: Tensor; y: Tensor } {
  const x = f32([1, 2]);
  const tape = new tf.GradientTape({ persistent });
  const y = tape.record(() => {
    tape.watch(x);
    return x.square();
  });
  return { tape, x, y };
}

describe("GradientTape errors", () => {
  it("a target not computed on the tape", () => {
    const { tape, x, y } = squareTape();
    const outside = x.mul(3);
    expect(() => tape.gradient(outside, x)).toThrow(tf.errors.ValueError);
    expect(() => tape.gradient(outside, x)).toThrow(/target \(a tensor of shape \[2\], dtype float32\) was not computed on this tape/);
    expect(() => tape.gradient(42 as unknown as Tensor, x)).toThrow(/the target must be a tensor/);
    // Still usable.
    expect(vals(tape.gradient(y, x))).toEqual([2, 4]);
  });

  it("sources that are not tensors", () => {
    const { tape, x, y } = squareTape();
    expect(() => tape.gradient(y, [x, 3 as unknown as Tensor])).toThrow(/sources must be tensors or Variables.*sources\[1\] is number/);
    expect(() => tape.gradient(y, { a: x, b: "w" as unknown as Tensor })).toThrow(/sources\.b is string/);
    expect(() => tape.gradient(y, null as unknown as Tensor)).toThrow(/sources is null/);
    expect(vals(tape.gradient(y, x))).toEqual([2, 4]);
  });

  it("a tape used after dispose", () => {
    const { tape, x, y } = squareTape(true);
    tape.dispose();
    tape.dispose();
    expect(() => tape.gradient(y, x)).toThrow(/this tape has been disposed; create a new tf.GradientTape/);
    expect(() => tape.jacobian(y, x)).toThrow(/disposed/);
    expect(() => tape.record(() => x.add(1))).toThrow(/disposed/);
  });

  it("record with an async function says that the tape records synchronously", async () => {
    const x = f32(2);
    const tape = new tf.GradientTape();
    const before = tf.memory().numTensors;
    expect(() => tape.record(async () => x.square())).toThrow(/records synchronously/);
    // A plain function returning a Promise is caught after it ran.
    expect(() => tape.record(() => Promise.resolve(x))).toThrow(/records synchronously/);
    expect(tf.memory().numTensors).toBe(before);
    // The tape still works, synchronously.
    const y = tape.record(() => {
      tape.watch(x);
      return x.square();
    });
    expect(tape.gradient(y, x)!.numpy()).toBe(4);
  });

  it("watch outside record", () => {
    const x = f32(2);
    const tape = new tf.GradientTape();
    expect(() => tape.watch(x)).toThrow(/GradientTape.watch must be called inside tape.record/);
    expect(() => tape.record(() => tape.watch([x, 1 as unknown as Tensor]))).toThrow(/watched values\[1\] is number/);
    const y = tape.record(() => {
      tape.watch(x);
      return x.mul(x);
    });
    expect(tape.gradient(y, x)!.numpy()).toBe(4);
  });

  it("bad options and outputGradients", () => {
    expect(() => new tf.GradientTape(true as unknown as tf.GradientTapeOptions)).toThrow(/options object/);
    const { tape, x, y } = squareTape();
    expect(() => tape.gradient(y, x, { outputGradients: f32([1, 2, 3]) })).toThrow(/outputGradients has shape \[3\] and dtype float32, but the target has shape \[2\]/);
    expect(() => tape.gradient([y], x, { outputGradients: f32([1, 1]) })).toThrow(/one entry per target/);
    expect(vals(tape.gradient(y, x))).toEqual([2, 4]);
  });

  it("an error inside record leaves the tape usable and uninstalled", () => {
    const x = f32(3);
    const tape = new tf.GradientTape({ persistent: true });
    expect(() =>
      tape.record(() => {
        tape.watch(x);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    const y = tape.record(() => x.square());
    expect(tape.gradient(y, x)!.numpy()).toBe(6);
    // Not recording after record returned: this op is not on the tape.
    const z = y.mul(2);
    expect(() => tape.gradient(z, x)).toThrow(/not computed on this tape/);
    tape.dispose();
  });

  it("a disposed source", () => {
    const { tape, x, y } = squareTape();
    const gone = f32(1);
    gone.dispose();
    expect(() => tape.gradient(y, [x, gone])).toThrow(/disposed/);
    expect(vals(tape.gradient(y, x))).toEqual([2, 4]);
  });
});
