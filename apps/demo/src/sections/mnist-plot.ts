/** Writes the loss curves of the MNIST models to apps/demo/out/loss-curves.svg and frees the data. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tessera/tf";
import { lossCurvesSvg } from "../loss-plot.js";
import type { Log, Section } from "../log.js";
import { curves, disposeMnist } from "./mnist-data.js";

/** Where the plot goes. */
export const PLOT_PATH = fileURLToPath(new URL("../../out/loss-curves.svg", import.meta.url));

function run(log: Log): void {
  mkdirSync(dirname(PLOT_PATH), { recursive: true });
  writeFileSync(PLOT_PATH, lossCurvesSvg(curves, `MNIST loss per epoch (Tessera, backend '${tf.getBackend()}')`));
  log(`loss curves written to ${PLOT_PATH}`);
  log(`\nSummary (backend '${tf.getBackend()}'):`);
  for (const c of curves) log(`  ${c.name.padEnd(22)} test accuracy ${c.testAccuracy.toFixed(4)}   (${c.train.length} epochs, ${c.seconds.toFixed(1)} s)`);
  disposeMnist();
}

export const mnistPlot: Section = { title: "MNIST: loss curves", run };
