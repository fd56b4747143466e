/**
 * While a saved model is rebuilt from its config, the weights its layers create are counted against
 * the elements its weight files declare: a config asking for more (a Dense layer of 30000×30000
 * with a tiny manifest) is refused before the weight is initialised, not after gigabytes were filled.
 */
import { ValueError } from "../errors.js";
import { formatShapeTuple } from "../shape.js";

/** Elements a rebuild may create beyond what the manifest declares (weights that are not saved). */
const SLACK_ELEMENTS = 1 << 20;

let budget: { remaining: number; why: string } | null = null;

/**
 * Runs the synchronous `fn` (a model build) with weight creation limited to `elements` (+ a small
 * slack when `slack`); `why` completes "but …" in the error (what set the limit).
 */
export function withWeightBudget<T>(elements: number, why: string, fn: () => T, slack = true): T {
  const previous = budget;
  budget = { remaining: elements + (slack ? SLACK_ELEMENTS : 0), why };
  try {
    return fn();
  } finally {
    budget = previous;
  }
}

/** Called by `Layer.addWeight` before it initialises a weight; throws when the budget cannot hold it. */
export function chargeWeight(layer: string, weight: string, shape: readonly number[]): void {
  if (!budget) return;
  let n = 1;
  for (const d of shape) n *= d;
  if (!Number.isSafeInteger(n) || n > budget.remaining) {
    throw new ValueError(
      `Layer "${layer}" of the model config asks for weight "${weight}" of shape ${formatShapeTuple(shape)} (${n} elements), but ${budget.why}`,
    );
  }
  budget.remaining -= n;
}
