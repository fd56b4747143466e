/**
 * `tf.einsum`, written from transpose, reshape, reduceSum and matmul (so every backend runs it and its
 * gradient comes from those ops). Operands are contracted pairwise from the left.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensors } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { tidy } from "../engine/tidy.js";
import { identity } from "./identity.js";
import { matmul } from "./matmul.js";
import { NUMERIC, checkDtype, disposeTemps } from "./op-utils.js";
import { reduceSum } from "./reduce.js";
import { reshape } from "./reshape.js";
import { transpose } from "./transpose.js";
import { defineOp } from "./table/define.js";

const OP = "Einsum";
/** Most operands one call takes (the op table needs a finite arity). */
const MAX_OPERANDS = 32;
const bad = (msg: string) => new InvalidArgumentError(opMessage(OP, msg));

/** A tensor with one label per axis. */
interface Labeled { t: Tensor; labels: string[] }

/** Labels of one term, with `...` expanded to `rank − (letters)` ellipsis labels (`.0`, `.1`, …). */
function parseTerm(term: string, rank: number, equation: string): string[] {
  const dots = term.indexOf("...");
  const plain = term.replace("...", "");
  if (!/^[a-zA-Z]*$/.test(plain)) throw bad(`invalid subscripts '${term}' in equation '${equation}'`);
  if (dots < 0) {
    if (plain.length !== rank) throw bad(`subscripts '${term}' name ${plain.length} axes, but the operand has rank ${rank} (equation '${equation}')`);
    return [...plain];
  }
  const n = rank - plain.length;
  if (n < 0) throw bad(`subscripts '${term}' name more axes than the operand's rank ${rank} (equation '${equation}')`);
  return [...term.slice(0, dots), ...Array.from({ length: n }, (_, i) => `.${i}`), ...term.slice(dots + 3)];
}

/** Sums out the labels of `x` that are not in `keep`. */
function sumOut(x: Labeled, keep: ReadonlySet<string>): Labeled {
  const axes = x.labels.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return x;
  return { t: reduceSum(x.t, { axis: axes }), labels: x.labels.filter((l) => keep.has(l)) };
}

/** Contracts a and b over their shared labels not in `keep`: the result's labels are [batch, a's free, b's free]. */
function contract(a: Labeled, b: Labeled, keep: ReadonlySet<string>): Labeled {
  const size = new Map<string, number>();
  for (const x of [a, b]) {
    x.labels.forEach((l, i) => {
      const d = x.t.shape[i]!;
      const known = size.get(l);
      if (known !== undefined && known !== d) {
        throw bad(`'${l.startsWith(".") ? "..." : l}' has sizes ${known} and ${d} in operands of shapes [${a.t.shape.join(",")}] and [${b.t.shape.join(",")}]`);
      }
      size.set(l, d);
    });
  }
  const inA = new Set(a.labels);
  const inB = new Set(b.labels);
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const summed = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const freeA = a.labels.filter((l) => !inB.has(l));
  const freeB = b.labels.filter((l) => !inA.has(l));
  const dims = (ls: string[]) => ls.map((l) => size.get(l)!);
  const at = (x: Labeled, ls: string[]) => ls.map((l) => x.labels.indexOf(l));
  const nb = sizeFromShape(dims(batch));
  const k = sizeFromShape(dims(summed));
  const a3 = reshape(transpose(a.t, at(a, [...batch, ...freeA, ...summed])), [nb, sizeFromShape(dims(freeA)), k]);
  const b3 = reshape(transpose(b.t, at(b, [...batch, ...summed, ...freeB])), [nb, k, sizeFromShape(dims(freeB))]);
  const labels = [...batch, ...freeA, ...freeB];
  return { t: reshape(matmul(a3, b3), dims(labels)), labels };
}

/**
 * Einstein summation (TensorFlow's `tf.einsum`, also `tf.linalg.einsum`): `equation` names each
 * operand's axes with letters (`"ij,jk->ik"`, `"bij,bjk->bik"`, `"i,j->ij"`, `"...ij,...jk->...ik"`);
 * letters missing from the output are summed; `...` stands for the same axes in every operand (equal
 * sizes: it does not broadcast). Without `->` the output is the letters used once, in alphabetical
 * order. A letter repeated within one term (a diagonal, `"ii->i"`) is not supported yet and raises.
 * Up to 32 operands of one numeric dtype.
 */
export const einsum = defineOp("einsum", function einsum(equation: string, ...inputs: TensorLike[]): Tensor {
  if (typeof equation !== "string") throw bad("the equation must be a string");
  const eq = equation.replace(/\s+/g, "");
  const parts = eq.split("->");
  if (parts.length > 2) throw bad(`invalid equation '${equation}'`);
  const [lhs, rhs] = parts as [string, string | undefined];
  const terms = lhs.split(",");
  if (terms.length !== inputs.length) throw bad(`equation '${equation}' names ${terms.length} operands, but ${inputs.length} were given`);
  const ts = toTensors(inputs, OP);
  try {
    for (const t of ts) checkDtype(OP, t.dtype, NUMERIC);
    const labels = terms.map((term, i) => parseTerm(term, ts[i]!.rank, equation));
    labels.forEach((ls, i) => {
      if (new Set(ls).size !== ls.length) throw bad(`subscripts '${terms[i]}' repeat a letter (diagonals are not supported yet) in equation '${equation}'`);
    });
    const counts = new Map<string, number>();
    for (const ls of labels) for (const l of ls) counts.set(l, (counts.get(l) ?? 0) + 1);
    const ellipsis = [...counts.keys()].filter((l) => l.startsWith(".")).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
    let out: string[];
    if (rhs === undefined) {
      out = [...ellipsis, ...[...counts.keys()].filter((l) => !l.startsWith(".") && counts.get(l) === 1).sort()];
    } else {
      const plain = rhs.replace("...", "");
      out = parseTerm(rhs, plain.length + (rhs.includes("...") ? ellipsis.length : 0), equation);
      if (new Set(out).size !== out.length) throw bad(`the output '${rhs}' repeats a letter in equation '${equation}'`);
      for (const l of out) if (!counts.has(l)) throw bad(`the output letter '${l}' appears in no operand of equation '${equation}'`);
    }
    if (ts.length === 0) throw bad("einsum needs at least one operand");
    return tidy(() => {
      const outSet = new Set(out);
      // Each operand first sums out the letters nothing else needs.
      const items: Labeled[] = ts.map((t, i) => {
        const others = new Set(labels.flatMap((ls, j) => (j === i ? [] : ls)));
        return sumOut({ t, labels: labels[i]! }, new Set(labels[i]!.filter((l) => outSet.has(l) || others.has(l))));
      });
      let acc = items[0]!;
      for (let i = 1; i < items.length; i++) {
        const later = items.slice(i + 1).flatMap((x) => x.labels);
        acc = contract(acc, items[i]!, new Set([...out, ...later]));
      }
      acc = sumOut(acc, outSet);
      const y = transpose(acc.t, out.map((l) => acc.labels.indexOf(l)));
      return y === ts[0] ? identity(y) : y;
    });
  } finally {
    disposeTemps(inputs, ts);
  }
}, { paths: ["linalg.einsum"], args: 1 + MAX_OPERANDS, method: false });
