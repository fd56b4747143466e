/** Options checking: unknown keys raise TypeError with a "did you mean" hint; key lists are complete at compile time. */
import { describe, expect, it } from "vitest";
import { checkArity, checkOptions, closestKey, optionKeys } from "../src/options.js";

interface Opts { axis?: number; keepdims?: boolean }

describe("optionKeys", () => {
  it("lists exactly the keys of the options type", () => {
    expect(optionKeys<Opts>()("axis", "keepdims")).toEqual(["axis", "keepdims"]);
    // @ts-expect-error a missing key does not compile
    optionKeys<Opts>()("axis");
    // @ts-expect-error a key outside the type does not compile
    optionKeys<Opts>()("axis", "keepdims", "keepDims");
  });
});

describe("checkOptions", () => {
  const keys = optionKeys<Opts>()("axis", "keepdims");
  it("accepts known keys and a missing options object", () => {
    expect(() => checkOptions("reduceSum", { axis: 1, keepdims: true }, keys)).not.toThrow();
    expect(() => checkOptions("reduceSum", undefined, keys)).not.toThrow();
    expect(() => checkOptions("reduceSum", Object.create(null), keys)).not.toThrow();
  });
  it("rejects an unknown key with TypeError and the closest valid key", () => {
    expect(() => checkOptions("reduceSum", { axis: 1, keepDims: true }, keys)).toThrow(
      new TypeError("reduceSum() got an unexpected option 'keepDims' — did you mean 'keepdims'?"));
    expect(() => checkOptions("matmul", { transposeb: true }, ["transposeA", "transposeB"])).toThrow(/did you mean 'transposeB'/);
    expect(() => checkOptions("Variable", { dtyp: "float64" }, ["dtype", "shape", "trainable", "name"])).toThrow(/did you mean 'dtype'/);
    expect(() => checkOptions("keras.layers.Dense", { activaton: "relu" }, ["activation", "useBias"])).toThrow(/did you mean 'activation'/);
  });
  it("lists the valid keys when nothing is close", () => {
    expect(() => checkOptions("reduceSum", { zzz: 1 }, keys)).toThrow("reduceSum() got an unexpected option 'zzz' (valid options: axis, keepdims)");
    expect(() => checkOptions("f", { a: 1 }, [])).toThrow("f() got an unexpected option 'a' (it takes no options)");
  });
  it("rejects values that are not plain objects", () => {
    expect(() => checkOptions("reduceSum", 3, keys)).toThrow(new TypeError("reduceSum() expected an options object, got number 3"));
    expect(() => checkOptions("reduceSum", [1], keys)).toThrow(/got an array/);
    expect(() => checkOptions("reduceSum", null, keys)).toThrow(/got null/);
  });
  it("finds snake_case and case slips", () => {
    expect(closestKey("keep_dims", ["axis", "keepdims"])).toBe("keepdims");
    expect(closestKey("KEEPDIMS", ["axis", "keepdims"])).toBe("keepdims");
    expect(closestKey("banana", ["axis", "keepdims"])).toBeUndefined();
  });
});

describe("checkArity", () => {
  it("rejects extra positional arguments", () => {
    expect(() => checkArity("add", 2, 2)).not.toThrow();
    expect(() => checkArity("add", 3, 2)).toThrow(new TypeError("add() takes at most 2 positional arguments but 3 were given"));
  });
});
