/** Options of `describeConformance` and how they resolve (tolerances, run counts, seeds). */
import type { DType, KernelName } from "@tessera/core/kernel";

/** Float dtypes whose results are compared with a tolerance (int32 and bool are compared exactly). */
export type FloatDType = "float32" | "float64" | "complex64";

/**
 * An element passes when `|got − want| ≤ atol + rtol · max(|want|, scale)`, where `scale` is the
 * magnitude of the terms the reference added up (sums, matmul, conv), or `|want|` otherwise.
 * complex64 compares the modulus of the difference.
 */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Per-dtype tolerances, with optional per-kernel overrides (e.g. a GPU's `Sin`). */
export interface ToleranceOptions extends Partial<Record<FloatDType, Partial<Tolerance>>> {
  kernels?: Partial<Record<KernelName, Partial<Record<FloatDType, Partial<Tolerance>>>>>;
}

export interface ConformanceOptions {
  /** The registered backend name ("js", "wasm", "webgpu"). Its package must be imported first. */
  backend: string;
  /**
   * Dtypes to test; default: every dtype the backend holds. A dtype listed here that the backend
   * does not hold is skipped with a note.
   */
  dtypes?: DType[];
  /** Looser (or tighter) tolerances than the defaults below. */
  tolerance?: ToleranceOptions;
  /** fast-check runs per property (default 20; the environment variable CONFORMANCE_RUNS wins). */
  numRuns?: number;
  /** fast-check seed (default random; the environment variable CONFORMANCE_SEED wins). */
  seed?: number;
  /**
   * Kernels the backend is known not to have yet (work in progress). The suite prints them loudly,
   * checks that using them throws NotImplementedError, and fails if one of them turns out implemented.
   */
  expectMissing?: KernelName[];
  /** Where the coverage JSON goes (default `<repo>/.ci/out`). */
  outDir?: string;
  /** Per-test timeout in ms (default 120 000: CPU WebGPU is slow). */
  timeout?: number;
}

/** Defaults suited to a backend that computes float32 in float32 with correctly rounded basics. */
export const DEFAULT_TOLERANCE: Record<FloatDType, Tolerance> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-12, atol: 1e-14 },
  complex64: { rtol: 1e-5, atol: 1e-6 },
};

export const DEFAULT_NUM_RUNS = 20;

function envNumber(name: string): number | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

export function resolveNumRuns(options: ConformanceOptions): number {
  const n = envNumber("CONFORMANCE_RUNS") ?? options.numRuns ?? DEFAULT_NUM_RUNS;
  if (n < 1) throw new Error(`numRuns must be at least 1, got ${n}`);
  return n;
}

export function resolveSeed(options: ConformanceOptions): number | undefined {
  return envNumber("CONFORMANCE_SEED") ?? options.seed;
}

/** The tolerance for `kernel` on `dtype`: per-kernel override, else per-dtype option, else default. */
export function resolveTolerance(options: ConformanceOptions, kernel: KernelName, dtype: DType): Tolerance {
  const d: FloatDType = dtype === "float64" ? "float64" : dtype === "complex64" ? "complex64" : "float32";
  const base = { ...DEFAULT_TOLERANCE[d], ...options.tolerance?.[d] };
  return { ...base, ...options.tolerance?.kernels?.[kernel]?.[d] };
}
