/** Argument checks shared by the random ops. */
import type { DType } from "../dtypes.js";
import { DtypeError, InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { checkShapeArg } from "../shape.js";

/**
 * The options object of a random op (its keys are checked by the op entry); a bare dtype string (a
 * common slip) is refused with a hint.
 */
export function checkOptions<T extends object>(options: T | undefined, op: string, fn: string): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const hint = typeof options === "string" ? ` (write ${fn}(shape, { dtype: "${options}" }))` : "";
    throw new ValueError(opMessage(op, `${fn}'s second argument must be an options object, got ${JSON.stringify(options)}${hint}`));
  }
  return options;
}

export function checkRandomShape(shape: unknown, op: string): number[] {
  return checkShapeArg(shape, op).slice();
}

export function checkRandomDtype<D extends DType>(dtype: unknown, allowed: readonly D[], op: string, fn: string): D {
  if (!(allowed as readonly unknown[]).includes(dtype)) {
    throw new DtypeError(opMessage(op, `Invalid dtype ${JSON.stringify(dtype)} for ${fn}; expected one of ${allowed.join(", ")}`));
  }
  return dtype as D;
}

export function checkFinite(value: unknown, name: string, op: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidArgumentError(opMessage(op, `${name} must be a finite number, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`));
  }
  return value;
}
