/**
 * `model.summary()`: Keras 2's table of layers, output shapes and parameter counts. A model whose
 * graph is not a simple chain (several inputs, merges, shared layers) gets the wider table with a
 * "Connected to" column listing each layer's inbound tensors as `layer[node][tensor]`.
 */
import { ValueError } from "../errors.js";
import { formatShapeTuple } from "../shape.js";
import type { Layer, Shape } from "./layer.js";
import type { Node } from "./node.js";

/** Options of `model.summary`. */
export interface SummaryOptions {
  /** Total width of the table (default 65, or 98 with the "Connected to" column). */
  lineLength?: number;
  /** Right edges of the columns, as fractions of the width or in characters (default [0.45, 0.85, 1], or [0.33, 0.55, 0.67, 1]). */
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
  layerOutputShapes(): (Shape | Shape[] | null)[];
  readonly trainableVariables: { size: number }[];
  readonly nonTrainableVariables: { size: number }[];
  /** A functional model's graph: its nodes, by depth. */
  readonly _graph?: { readonly nodesByDepth: ReadonlyMap<number, readonly Node[]> } | null;
}

// Keras breaks a wrapped field after the end of a tuple, dict, list or string.
const BREAKS = ["),", "},", "],", "',"];

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
      const breaks = BREAKS.map((b) => fit.indexOf(b)).filter((i) => i >= 0).map((i) => i + 2);
      if (breaks.length > 0) {
        cutoff = Math.min(...breaks);
        fit = fit.slice(0, cutoff);
      } else if (left[col]!.length > cutoff) {
        // Break after the end of a tuple element rather than mid-word when a field wraps.
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

/** Keras's rule: a graph is printed as a chain unless a depth has several nodes, a node several inputs, or a layer several calls. */
function isSequentialLike(graph: NonNullable<Summarizable["_graph"]>, layers: readonly Layer[]): boolean {
  const nodes: Node[] = [];
  for (const v of graph.nodesByDepth.values()) {
    if (v.length > 1 || (v.length === 1 && v[0]!.dependencies.length > 1)) return false;
    nodes.push(...v);
  }
  return layers.every((l) => l._inboundNodes.filter((n) => nodes.includes(n)).length <= 1);
}

function formatShape(shape: Shape | Shape[] | null, layer: Layer): string {
  if (shape === null) return "multiple";
  if (shape.length > 0 && shape.every(Array.isArray)) return `[${(shape as Shape[]).map((s) => formatShapeTuple(s)).join(", ")}]`;
  const s = formatShapeTuple(shape as Shape);
  // Keras 2 reports an InputLayer's output as a list of one shape.
  return layer.getClassName() === "InputLayer" ? `[${s}]` : s;
}

/** Prints (or hands to `printFn`) the summary of `model`. */
export function printSummary(model: Summarizable, options: SummaryOptions = {}): void {
  if (!model.built) {
    throw new ValueError(
      `This model has not yet been built. Build the model first by calling \`build()\` or by calling the model on a batch of data (model.apply(x)), or give the first layer an \`inputShape\`.`,
    );
  }
  const print = options.printFn ?? ((line: string) => console.log(line));
  const layers = model.layers;
  const graph = model._graph ?? null;
  const withConnections = graph !== null && !isSequentialLike(graph, layers);
  const width = options.lineLength ?? (withConnections ? 98 : 65);
  let positions = (options.positions ?? (withConnections ? [0.33, 0.55, 0.67, 1] : [0.45, 0.85, 1])).slice();
  if (positions[positions.length - 1]! <= 1) positions = positions.map((p) => Math.floor(width * p));
  const relevant = new Set<Node>(graph ? [...graph.nodesByDepth.values()].flat() : []);
  const shapes = model.layerOutputShapes();
  print(`Model: "${model.name}"`);
  print("_".repeat(width));
  const header = ["Layer (type)", "Output Shape", "Param #", ...(withConnections ? ["Connected to"] : [])];
  for (const l of rowLines(header, positions)) print(l);
  print("=".repeat(width));
  layers.forEach((layer, i) => {
    const shape = formatShape(shapes[i] ?? null, layer);
    const params = layer.built || graph ? String(layer.countParams()) : "0 (unused)";
    const fields = [`${layer.name} (${layer.getClassName()})`, shape, params];
    if (withConnections) {
      const connections = layer._inboundNodes
        .filter((n) => relevant.has(n))
        .flatMap((n) => n.dependencies.map((t) => `'${t._kerasHistory.layer.name}[${t._kerasHistory.nodeIndex}][${t._kerasHistory.tensorIndex}]'`));
      fields.push(`[${connections.join(", ")}]`);
    }
    for (const l of rowLines(fields, positions)) print(l);
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
