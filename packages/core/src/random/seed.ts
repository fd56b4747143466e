/**
 * Seeds, with TensorFlow 2's eager semantics:
 * - global seed (`setSeed`) and op seed: the pair picks the stream;
 * - global seed only: each call gets the next op seed from an internal sequence, so a program gives
 *   the same numbers on every run while calls differ from one another;
 * - op seed only: the global seed defaults to TensorFlow's 87654321;
 * - neither: fresh entropy each call.
 * Calling with the same (global, op) pair again continues that stream (successive calls differ, as
 * TensorFlow's per-seed kernel state does); `setSeed` restarts every stream.
 */
import { ValueError, opMessage } from "../errors.js";
import { PhiloxStream, philox4x32 } from "./philox.js";

/** TensorFlow's `DEFAULT_GRAPH_SEED`, used when only an op seed is given. */
const DEFAULT_GLOBAL_SEED = 87654321;
/** Counter words that set apart the sequence of internal op seeds from the streams of user op seeds. */
const INTERNAL_SEED_STREAM = [0x5eed0000, 0x7e55e7a0] as const;

type Words = readonly [number, number];

interface RandomState {
  globalSeed: Words | null;
  /** How many internal op seeds have been handed out since `setSeed`. */
  internalCalls: number;
  /** Blocks used so far by each (global, op) stream a user op seed named. */
  offsets: Map<string, number>;
}

// One state per realm, shared by every loaded copy of core (as the engine is).
const KEY = Symbol.for("tessera.random");
const g = globalThis as unknown as Record<symbol, RandomState | undefined>;
const state: RandomState = g[KEY] ?? (g[KEY] = { globalSeed: null, internalCalls: 0, offsets: new Map() });

/** A seed as two uint32 words [low, high] of its 64-bit two's complement (seeds may be negative). */
function seedWords(seed: number): Words {
  const u = BigInt.asUintN(64, BigInt(seed));
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
}

/** Validates a seed argument; `op` names the op in the error. */
export function checkSeed(seed: unknown, op: string, what = "seed"): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new ValueError(opMessage(op, `${what} must be an integer (a safe JS integer), got ${typeof seed === "number" ? seed : JSON.stringify(seed) ?? String(seed)}`));
  }
  return seed;
}

/**
 * Sets the global random seed (TensorFlow's `tf.random.set_seed`): afterwards the sequence of random
 * values a program draws is reproducible. Also restarts every op-seed stream and the internal
 * sequence. `null` clears the global seed.
 */
export function setSeed(seed: number | null): void {
  const s = checkSeed(seed, "SetSeed");
  state.globalSeed = s === undefined ? null : seedWords(s);
  state.internalCalls = 0;
  state.offsets.clear();
}

function entropyWords(): [number, number, number, number] {
  const out = new Uint32Array(4);
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): Uint32Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(out);
  else for (let i = 0; i < 4; i++) out[i] = Math.floor(Math.random() * 0x100000000);
  return [out[0]!, out[1]!, out[2]!, out[3]!];
}

/**
 * Runs `draw` on the stream the seeds pick, then records how far it went so the next call with the
 * same op seed continues where this one stopped.
 */
export function withRandomStream<T>(opSeed: unknown, op: string, draw: (s: PhiloxStream) => T): T {
  const seed = checkSeed(opSeed, op);
  const global = state.globalSeed;
  if (seed === undefined) {
    if (global === null) {
      const [k0, k1, s0, s1] = entropyWords();
      return draw(new PhiloxStream([k0, k1], [s0, s1]));
    }
    // The next internal op seed: a fresh stream used once, so nothing to remember.
    const n = state.internalCalls++;
    const w = philox4x32([n >>> 0, Math.floor(n / 0x100000000), INTERNAL_SEED_STREAM[0], INTERNAL_SEED_STREAM[1]], global, new Uint32Array(4));
    return draw(new PhiloxStream(global, [w[0]!, w[1]!]));
  }
  const key = global ?? seedWords(DEFAULT_GLOBAL_SEED);
  const stream = seedWords(seed);
  const id = `${key[0]},${key[1]},${stream[0]},${stream[1]}`;
  const s = new PhiloxStream(key, stream, state.offsets.get(id) ?? 0);
  const result = draw(s);
  state.offsets.set(id, s.blocksUsed);
  return result;
}

/** Runs a draw on a stream: the one the seeds pick (stateful ops) or a stateless seed's. */
export type StreamRunner = <T>(draw: (s: PhiloxStream) => T) => T;

/** The stateful ops' runner: `withRandomStream` with the op seed. */
export function statefulRunner(opSeed: unknown, op: string): StreamRunner {
  return (draw) => withRandomStream(opSeed, op, draw);
}

/** Set apart from the streams of the stateful ops (xored into the stream's high word). */
const STATELESS_STREAM_TAG = 0x57a7e1e5;

/**
 * The runner of a stateless op: its `seed`, two integers (an array or an int32 tensor of shape [2]),
 * alone picks the stream: no global state is read or advanced, so the same seed always gives the
 * same numbers.
 */
export function statelessRunner(seed: unknown, op: string): StreamRunner {
  let pair: unknown = seed;
  if (seed !== null && typeof seed === "object" && "dataSync" in seed && typeof (seed as { dataSync: unknown }).dataSync === "function") {
    const t = seed as { shape: number[]; dtype: string; dataSync(): ArrayLike<number> };
    if (t.dtype !== "int32" || t.shape.length !== 1 || t.shape[0] !== 2) {
      throw new ValueError(opMessage(op, `seed must be an int32 tensor of shape [2], got dtype ${t.dtype} and shape [${t.shape.join(",")}]`));
    }
    pair = Array.from(t.dataSync());
  }
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new ValueError(opMessage(op, `seed must be two integers [seed1, seed2] (shape [2]), got ${JSON.stringify(pair) ?? String(pair)}`));
  }
  const [a, b] = (pair as unknown[]).map((v, i) => {
    const s = v === null || v === undefined ? undefined : checkSeed(v, op, `seed[${i}]`);
    if (s === undefined) throw new ValueError(opMessage(op, `seed[${i}] must be an integer, got ${String(v)}`));
    return s;
  }) as [number, number];
  const key = seedWords(a), stream = seedWords(b);
  return (draw) => draw(new PhiloxStream(key, [stream[0], (stream[1] ^ STATELESS_STREAM_TAG) >>> 0]));
}
