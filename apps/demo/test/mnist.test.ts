/** The MNIST sections' data split and plot (the training itself runs in the demo, not in tests). */
import * as tf from "@tessera/tf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lossCurvesSvg } from "../src/loss-plot.js";
import { TEST, TRAIN, accuracy, disposeMnist, mnist } from "../src/sections/mnist-data.js";

beforeAll(async () => {
  await tf.setBackend("js");
});
afterAll(() => disposeMnist());

describe("MNIST data", () => {
  it("splits the mnist package's 10,000 digits 8,000 / 2,000 with a seeded shuffle", async () => {
    const d = mnist();
    expect(d.xTrain.shape).toEqual([TRAIN, 784]);
    expect(d.xTest.shape).toEqual([TEST, 784]);
    expect(d.yTrain.dtype).toBe("int32");
    const labels = Array.from((await d.yTrain.data()) as Int32Array);
    const counts = Array.from({ length: 10 }, (_, k) => labels.filter((l) => l === k).length);
    // Shuffled: every class appears in the training part in roughly its share (~800).
    for (const c of counts) expect(c).toBeGreaterThan(600);
    expect(labels.slice(0, 50).some((l, i) => l !== labels[i + 1])).toBe(true);
    const px = (await d.xTrain.data()) as Float32Array;
    expect(Math.min(...px.subarray(0, 784))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...px.subarray(0, 784))).toBeLessThanOrEqual(1);
    // Same seed, same split.
    const testLabels = Array.from((await d.yTest.data()) as Int32Array);
    disposeMnist();
    const again = mnist();
    expect(Array.from((await again.yTest.data()) as Int32Array)).toEqual(testLabels);
  });

  it("accuracy compares arg-max predictions with labels", async () => {
    expect(await accuracy(tf.constant([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), tf.constant([1, 1, 1]))).toBeCloseTo(2 / 3, 6);
  });
});

describe("loss plot", () => {
  it("draws train (solid) and test (dashed) curves with a legend", () => {
    const svg = lossCurvesSvg(
      [
        { name: "MLP, fit", train: [0.5, 0.3, 0.2], test: [0.4, 0.3, 0.28] },
        { name: "CNN <small>", train: [0.6, 0.2], test: [] },
      ],
      "MNIST loss",
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg.match(/stroke-dasharray="6 4"\/>/g)?.length).toBe(1 + 2);
    expect(svg).toContain("CNN &lt;small&gt;: train");
    expect(svg).toContain(">MNIST loss</text>");
  });
});
