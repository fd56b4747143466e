/** `model.summary()`: Keras's table of layers, output shapes and parameter counts. */
import { ValueError } from "../errors.js";
import { formatShapeTuple } from "../shape.js";
import type { Layer, Shape } from "./layer.js";

/** Options of `model.summary`. */
export interface SummaryOptions {
  /** Total width of the table (default 65). */
  lineLength?: number;
  /** Right edges of the columns, as fractions of the width or in characters (default [0.45, 0.85, 1]). */
  positions?: readonly number[];
  /** Receives each line (default console.log). */
  printFn?: (line: string) => void;
}

/** What the summary needs of a model. */
export interface Summarizable {
  readonly name: string;
  readonly built: boolean;
  readonly layers: Layer[];
  /** Output shape of each of `layers` (null when not known). */
  layerOutputShapes(): (Shape | null)[];
  readonly trainableVariables: { size: number }[];
  readonly nonTrainableVariables: { size: number }[];
}

/** One table row, wrapping long fields onto further lines as Keras does. */
function rowLines(fields: string[], positions: number[]): string[] {
  const left = fields.slice();
  const lines: string[] = [];
  while (left.some((f) => f.length > 0)) {
    let line = "";
    for (let col = 0; col < left.length; col++) {
      const start = col > 0 ? positions[col - 1]! : 0;
      const space = col !== positions.length - 1 ? 2 : 0;
      let cutoff = positions[col]! - start - space;
      let fit = left[col]!.slice(0, cutoff);
      // Break after the end of a tuple element rather than mid-word when a field wraps.
      if (left[col]!.length > cutoff) {
        const i = fit.lastIndexOf(", ");
        if (i > 0) {
          cutoff = i + 2;
          fit = fit.slice(0, cutoff);
        }
      }
      if (col === 0) line += " ";
      line += fit + " ".repeat(space);
      left[col] = left[col]!.slice(cutoff);
      line += " ".repeat(Math.max(0, positions[col]! - line.length));
    }
    lines.push(line);
  }
  return lines;
}

/** Prints (or hands to `printFn`) the summary of `model`. */
export function printSummary(model: Summarizable, options: SummaryOptions = {}): void {
  if (!model.built) {
    throw new ValueError(
      `This model has not yet been built. Build the model first by calling \`build()\` or by calling the model on a batch of data (model.apply(x)), or give the first layer an \`inputShape\`.`,
    );
  }
  const print = options.printFn ?? ((line: string) => console.log(line));
  const width = options.lineLength ?? 65;
  let positions = (options.positions ?? [0.45, 0.85, 1]).slice();
  if (positions[positions.length - 1]! <= 1) positions = positions.map((p) => Math.floor(width * p));
  const shapes = model.layerOutputShapes();
  print(`Model: "${model.name}"`);
  print("_".repeat(width));
  for (const l of rowLines(["Layer (type)", "Output Shape", "Param #"], positions)) print(l);
  print("=".repeat(width));
  model.layers.forEach((layer, i) => {
    const shape = shapes[i];
    const params = layer.built ? String(layer.countParams()) : "0 (unused)";
    for (const l of rowLines([`${layer.name} (${layer.getClassName()})`, shape ? formatShapeTuple(shape) : "multiple", params], positions)) print(l);
    print(" ".repeat(width));
  });
  print("=".repeat(width));
  const count = (vs: { size: number }[]) => vs.reduce((n, v) => n + v.size, 0);
  const trainable = count(model.trainableVariables);
  const nonTrainable = count(model.nonTrainableVariables);
  const fmt = (n: number) => n.toLocaleString("en-US");
  print(`Total params: ${fmt(trainable + nonTrainable)}`);
  print(`Trainable params: ${fmt(trainable)}`);
  print(`Non-trainable params: ${fmt(nonTrainable)}`);
  print("_".repeat(width));
}
