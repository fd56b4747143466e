/**
 * Keras configs (snake_case keys, as saved in `model.json`) turned into Tessera's constructor options
 * (camelCase keys): the default `Layer.fromConfig`, and the pieces layers with positional arguments
 * use in their own.
 */
import { ValueError } from "../errors.js";

/** `kernel_initializer` → `kernelInitializer`. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `kernelInitializer` → `kernel_initializer` (Keras's spelling of call and config arguments). */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The dtype of a layer config: Keras 3 writes a dtype policy object, Keras 2 and TensorFlow.js a string. */
export function dtypeOf(v: unknown): "float32" | "float64" | undefined {
  const name = v && typeof v === "object" ? ((v as { config?: { name?: unknown } }).config?.name ?? undefined) : v;
  if (name === undefined || name === null) return undefined;
  if (name === "float32" || name === "float64") return name;
  throw new ValueError(`Unsupported layer dtype ${JSON.stringify(v)} (supported: float32, float64)`);
}

/**
 * Constructor options from a layer config: every key in camelCase, `batch_input_shape` (or Keras 3's
 * `batch_shape`) as `batchInputShape`, the dtype checked, `null` values left out (Keras's default).
 * Keys in `skip` are the caller's (positional arguments). A key the layer does not take is then
 * refused by its constructor, naming it.
 */
export function argsFromConfig(config: Readonly<Record<string, unknown>>, skip: readonly string[] = []): Record<string, unknown> {
  if (config === null || typeof config !== "object" || Array.isArray(config)) throw new ValueError(`A layer config must be an object, got ${JSON.stringify(config)}`);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "__proto__") throw new ValueError(`The config of layer ${JSON.stringify(config["name"] ?? "?")} has the key "__proto__"; refusing it`);
    if (skip.includes(key) || value === null || value === undefined) continue;
    if (key === "dtype") {
      const d = dtypeOf(value);
      if (d) args["dtype"] = d;
    } else if (key === "batch_input_shape" || key === "batch_shape") {
      args["batchInputShape"] = value;
    } else {
      args[snakeToCamel(key)] = value;
    }
  }
  return args;
}

/** A required entry of a config, for positional constructor arguments. */
export function required(config: Readonly<Record<string, unknown>>, key: string, cls: string): unknown {
  const v = config[key];
  if (v === undefined || v === null) throw new ValueError(`The ${cls} config of layer ${JSON.stringify(config["name"] ?? "?")} has no \`${key}\``);
  return v;
}
