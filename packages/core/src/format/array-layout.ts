/**
 * NumPy's `array2string` layout (default options): nested brackets, summarisation with `...` past
 * 1000 elements (3 edge items per axis), wrapping at the line width, blank lines between blocks.
 */
import type { BackendValues, DType } from "../dtypes.js";
import { makeElementFormatter, type ElementFormatter } from "./element-format.js";
import { stridesOf } from "../shape.js";

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const SUMMARY = "...";

export interface LayoutOptions {
  /** Between elements: `" "` for str, `", "` for repr. */
  separator: string;
  /** Text printed before the array (`"array("` for repr); continuation lines are indented past it. */
  prefix: string;
  /** Maximum line length, already reduced by the length of any suffix. */
  lineWidth: number;
}

/** Lays out a non-empty array (or a 0-d one) of `shape` whose row-major values are `values`. */
export function array2string(values: BackendValues, shape: readonly number[], dtype: DType, o: LayoutOptions): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const summarize = size > THRESHOLD;
  const strides = stridesOf(shape);
  const format = makeElementFormatter(values, dtype, shownIndices(shape, strides, summarize), shape.length === 0);
  return new Layout(shape, strides, format, o.separator, summarize).render(" " + " ".repeat(o.prefix.length), o.lineWidth);
}

/** Flat indices of the elements that will be printed: all of them, or the edges when summarising. */
function shownIndices(shape: readonly number[], strides: readonly number[], summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      out.push(offset);
      return;
    }
    const n = shape[axis]!;
    const stride = strides[axis]!;
    for (const i of axisIndices(n, summarize)) walk(axis + 1, offset + i * stride);
  };
  walk(0, 0);
  return out;
}

function axisIndices(n: number, summarize: boolean): number[] {
  if (summarize && n > 2 * EDGE_ITEMS) {
    const idx: number[] = [];
    for (let i = 0; i < EDGE_ITEMS; i++) idx.push(i);
    for (let i = n - EDGE_ITEMS; i < n; i++) idx.push(i);
    return idx;
  }
  return Array.from({ length: n }, (_, i) => i);
}

class Layout {
  constructor(
    private readonly shape: readonly number[],
    private readonly strides: readonly number[],
    private readonly format: ElementFormatter,
    private readonly separator: string,
    private readonly summarize: boolean,
  ) {}

  render(nextLinePrefix: string, lineWidth: number): string {
    return this.recurse(0, 0, nextLinePrefix, lineWidth);
  }

  /** One sub-array; `hangingIndent` starts every continuation line, `width` shrinks by one per `]`. */
  private recurse(axis: number, offset: number, hangingIndent: string, width: number): string {
    const ndim = this.shape.length;
    if (axis === ndim) return this.format(offset);
    const n = this.shape[axis]!;
    const stride = this.strides[axis]!;
    const showSummary = this.summarize && 2 * EDGE_ITEMS < n;
    const leading = showSummary ? EDGE_ITEMS : 0;
    const trailing = showSummary ? EDGE_ITEMS : n;
    const child = (i: number): string => this.recurse(axis + 1, offset + i * stride, hangingIndent + " ", width - 1);
    const sep = this.separator;
    let s = "";

    if (axis === ndim - 1) {
      // Innermost axis: elements on lines, wrapped to fit, leaving room for the separator or `]`.
      const elemWidth = width - Math.max(sep.trimEnd().length, 1);
      let line = hangingIndent;
      // Elements never span lines (bytes reprs escape newlines), so NumPy's multi-line word case is moot.
      const extend = (word: string): void => {
        // Wrapping cannot help when the line holds only the indent.
        if (line.length + word.length > elemWidth && line.length > hangingIndent.length) {
          s += line.trimEnd() + "\n";
          line = hangingIndent;
        }
        line += word;
      };
      for (let i = 0; i < leading; i++) {
        extend(child(i));
        line += sep;
      }
      if (showSummary) {
        extend(SUMMARY);
        line += sep;
      }
      for (let i = trailing; i > 1; i--) {
        extend(child(n - i));
        line += sep;
      }
      extend(child(n - 1));
      s += line;
    } else {
      // Outer axes: one sub-array per line, with a blank line per extra level of nesting.
      const lineSep = sep.trimEnd() + "\n".repeat(ndim - axis - 1);
      for (let i = 0; i < leading; i++) s += hangingIndent + child(i) + lineSep;
      if (showSummary) s += hangingIndent + SUMMARY + lineSep;
      for (let i = trailing; i > 1; i--) s += hangingIndent + child(n - i) + lineSep;
      s += hangingIndent + child(n - 1);
    }
    return "[" + s.slice(hangingIndent.length) + "]";
  }
}
