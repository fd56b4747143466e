/**
 * `tf.keras.utils`: registering custom layer classes so that saved models naming them load again
 * (Keras's `register_keras_serializable`), and the lookups loading uses.
 */
import { ValueError } from "../errors.js";
import { checkOptions, optionKeys } from "../options.js";
import { Layer } from "./layer.js";

/** A layer class that configs can name: it is made from its config by `fromConfig`. */
export interface SerializableLayerClass {
  readonly name: string;
  readonly prototype: Layer;
  fromConfig(config: Record<string, unknown>): Layer;
}

/** Options of `registerKerasSerializable`. */
export interface RegisterKerasSerializableOptions {
  /** The package part of the registered name (default "Custom", as Keras). */
  package?: string;
  /** The name part (default: the class's `className`, else its JavaScript name). */
  name?: string;
}
const REGISTER_KEYS = optionKeys<RegisterKerasSerializableOptions>()("package", "name");

// One registry per realm, shared by every loaded copy of core (as the engine is).
const KEY = Symbol.for("tessera.keras.serializables");
const g = globalThis as unknown as Record<symbol, { byName: Map<string, SerializableLayerClass>; byClass: WeakMap<object, string> } | undefined>;
const registry = g[KEY] ?? (g[KEY] = { byName: new Map(), byClass: new WeakMap() });

// Classes given to loadModel's `customObjects`, while a load is in progress.
let scoped: Readonly<Record<string, SerializableLayerClass>> | null = null;

function ownName(cls: SerializableLayerClass): string {
  return Object.hasOwn(cls, "className") ? String((cls as unknown as { className: string }).className) : cls.name;
}

/**
 * Registers a custom layer class under `"<package>>name"` (Keras's
 * `register_keras_serializable(package, name)`): a model that contains the layer is saved with that
 * class name, and `loadModel` finds the class again. Use it as a decorator or call it:
 * ```ts
 * class Scale extends tf.keras.layers.Layer {
 *   static override className = "Scale";
 *   readonly factor: number;
 *   constructor({ factor = 2, ...args }: tf.keras.LayerArgs & { factor?: number } = {}) {
 *     super(args);
 *     this.factor = factor;
 *   }
 *   override call(x: tf.Tensor) { return tf.multiply(x, this.factor); }
 *   override getConfig() { return { ...super.getConfig(), factor: this.factor }; }
 * }
 * tf.keras.utils.registerKerasSerializable({ package: "my_app" })(Scale);  // saved as "my_app>Scale"
 * ```
 * The class's static `fromConfig(config)` rebuilds it from what `getConfig()` returned; the default
 * passes every config key, in camelCase, to the constructor's options object.
 */
export function registerKerasSerializable(options: RegisterKerasSerializableOptions = {}): <C extends SerializableLayerClass>(cls: C, context?: unknown) => C {
  checkOptions("keras.utils.registerKerasSerializable", options, REGISTER_KEYS);
  const pkg = options.package ?? "Custom";
  if (typeof pkg !== "string" || pkg.includes(">")) throw new ValueError(`registerKerasSerializable: package must be a string without ">", got ${JSON.stringify(pkg)}`);
  return <C extends SerializableLayerClass>(cls: C): C => {
    if (typeof (cls as unknown) !== "function" || !(cls.prototype instanceof Layer)) {
      throw new TypeError(`registerKerasSerializable registers layer classes (subclasses of tf.keras.layers.Layer), got ${String(cls)}`);
    }
    const name = `${pkg}>${options.name ?? ownName(cls)}`;
    const existing = registry.byName.get(name);
    if (existing && existing !== cls) throw new ValueError(`${name} has already been registered to ${existing.name}`);
    registry.byName.set(name, cls);
    registry.byClass.set(cls, name);
    return cls;
  };
}

/** The name `cls` is saved under: its registered `"package>name"`, or undefined when not registered. */
export function getRegisteredName(cls: object): string | undefined {
  return registry.byClass.get(cls);
}

/**
 * The class a config's `class_name` names among custom classes: those given to `loadModel` as
 * `customObjects`, then registered ones (by `"package>name"`, or by plain name when one registered
 * class has it).
 */
export function getRegisteredObject(className: string): SerializableLayerClass | undefined {
  if (scoped && Object.hasOwn(scoped, className)) return scoped[className];
  const exact = registry.byName.get(className);
  if (exact) return exact;
  if (className.includes(">")) return undefined;
  const matches = [...registry.byName.entries()].filter(([k]) => k.slice(k.indexOf(">") + 1) === className);
  return matches.length === 1 ? matches[0]![1] : undefined;
}

/** @internal Runs `fn` (a synchronous model build) with `customObjects` visible to `getRegisteredObject`. */
export function withCustomObjects<T>(customObjects: Readonly<Record<string, SerializableLayerClass>> | undefined, fn: () => T): T {
  if (customObjects !== undefined && (customObjects === null || typeof customObjects !== "object")) {
    throw new ValueError(`customObjects must be an object of layer classes by name, got ${JSON.stringify(customObjects)}`);
  }
  for (const [k, v] of Object.entries(customObjects ?? {})) {
    if (typeof (v as unknown) !== "function" || !(v.prototype instanceof Layer)) throw new ValueError(`customObjects["${k}"] is not a layer class`);
  }
  const previous = scoped;
  scoped = customObjects ?? previous;
  try {
    return fn();
  } finally {
    scoped = previous;
  }
}

/** The class name a layer is saved under: its registered name, else its Keras class name. */
export function serializedClassName(layer: Layer): string {
  return getRegisteredName(layer.constructor) ?? layer.getClassName();
}
