/**
 * The state one backend's suite shares: the backend instance, the dtypes under test, tolerances,
 * fast-check settings, the coverage record, and `ctx.test`, which registers a Vitest test tied to the
 * kernels it checks (skipped when the backend lacks one of them or a dtype, failed when it never ran
 * them, and always checked for leaked tensors).
 */
import fc from "fast-check";
import { it } from "vitest";
import * as tf from "@tessera/core";
import type { DType, KernelBackend, KernelName } from "@tessera/core/kernel";
import { ALL_DTYPES, setOpCallHook } from "@tessera/core/kernel";
import { Coverage } from "./coverage.js";
import { checkMemory, memorySnapshot } from "./host.js";
import type { ConformanceOptions, Tolerance } from "./options.js";
import { resolveNumRuns, resolveSeed, resolveTolerance } from "./options.js";

/** What a test body can do besides asserting. */
export interface TestHandle {
  /** Marks the test skipped (e.g. an optional dtype the backend declines with DtypeError). */
  skip(reason: string): never;
}

export interface TestSpec {
  /** The kernels this test checks (it fails if one of them never ran). */
  kernels: readonly KernelName[];
  /** The dtype under test (for the matrix, and to skip when the backend cannot hold it). */
  dtype?: DType;
  /** Further dtypes the test needs. */
  needs?: readonly DType[];
}

export class ConformanceContext {
  readonly name: string;
  readonly numRuns: number;
  readonly seed: number | undefined;
  readonly coverage: Coverage;
  /** Dtypes under test: those asked for that the backend holds. */
  readonly dtypes: ReadonlySet<DType>;
  /** Dtypes asked for that the backend does not hold. */
  readonly skippedDtypes: readonly DType[];
  readonly timeout: number;
  private readonly originals = new Map<string, unknown>();
  private current: Set<KernelName> | null = null;
  private currentOps: Set<string> | null = null;

  constructor(readonly options: ConformanceOptions, readonly backend: KernelBackend) {
    this.name = options.backend;
    this.numRuns = resolveNumRuns(options);
    this.seed = resolveSeed(options);
    this.timeout = options.timeout ?? 120_000;
    const wanted = options.dtypes ?? ALL_DTYPES;
    this.dtypes = new Set(wanted.filter((d) => backend.dtypes.has(d)));
    this.skippedDtypes = wanted.filter((d) => !backend.dtypes.has(d));
    this.coverage = new Coverage((k) => this.implements(k), options.expectMissing ?? []);
    for (const d of this.skippedDtypes) this.coverage.note(`dtype ${d} is not held by backend '${this.name}': its tests are skipped`);
  }

  implements(k: KernelName): boolean {
    return typeof this.backend.kernels[k] === "function";
  }

  has(d: DType): boolean {
    return this.dtypes.has(d);
  }

  tol(kernel: KernelName, dtype: DType): Tolerance {
    return resolveTolerance(this.options, kernel, dtype);
  }

  /**
   * Wraps every kernel of the backend so the suite knows which ones really ran (restored by
   * `restore`). A frozen kernel table is left alone and the matrix says "?" for calls.
   */
  instrument(): void {
    const table = this.backend.kernels as Record<string, unknown>;
    let all = true;
    for (const name of Object.keys(table)) {
      const desc = Object.getOwnPropertyDescriptor(table, name);
      const orig = desc?.value;
      if (!desc || !desc.writable || !desc.configurable || typeof orig !== "function") {
        all = false;
        continue;
      }
      this.originals.set(name, orig);
      const seen = (k: KernelName) => {
        this.coverage.called(k);
        this.current?.add(k);
      };
      table[name] = function (this: unknown, ...args: unknown[]) {
        seen(name as KernelName);
        return (orig as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
    this.coverage.instrumented = all && this.originals.size > 0;
    setOpCallHook((name) => this.currentOps?.add(name));
    if (!this.coverage.instrumented) this.coverage.note("the backend's kernel table could not be instrumented: kernel call counts are unknown");
  }

  restore(): void {
    setOpCallHook(null);
    const table = this.backend.kernels as Record<string, unknown>;
    for (const [name, fn] of this.originals) table[name] = fn;
    this.originals.clear();
  }

  /** Registers one test (see `TestSpec`). */
  test(title: string, spec: TestSpec, body: (t: TestHandle) => Promise<void> | void): void {
    const dtypes = [...(spec.dtype ? [spec.dtype] : []), ...(spec.needs ?? [])];
    const noDtype = dtypes.filter((d) => !this.has(d));
    const missing = spec.kernels.filter((k) => !this.implements(k));
    if (noDtype.length || missing.length) {
      const notHeld = noDtype.filter((d) => !this.backend.dtypes.has(d));
      const why = notHeld.length
        ? `backend '${this.name}' does not hold ${notHeld.join(", ")}`
        : noDtype.length ? `${noDtype.join(", ")} not among the dtypes under test` : `kernel ${missing.join(", ")} is missing`;
      it.skip(`${title} (skipped: ${why})`, () => {});
      this.coverage.record(spec.kernels, spec.dtype, "skip", title);
      return;
    }
    it(title, async (vitestContext) => {
      const called = new Set<KernelName>();
      const ops = new Set<string>();
      this.current = called;
      this.currentOps = ops;
      const before = memorySnapshot();
      const backendBefore = this.backendBytes();
      let skipped = false;
      const handle: TestHandle = {
        skip: (reason: string): never => {
          skipped = true;
          this.coverage.record(spec.kernels, spec.dtype, "skip", title);
          this.coverage.note(`${title}: skipped, ${reason}`);
          return vitestContext.skip(reason);
        },
      };
      try {
        await body(handle);
        checkMemory(before, `${title}: after the test`);
        const backendAfter = this.backendBytes();
        if (backendAfter !== backendBefore) {
          throw new Error(`${title}: backend '${this.name}' holds ${backendAfter} bytes in live buffers after the test, ${backendBefore} before (tf.memory() agreed, so the backend leaked)`);
        }
        if (this.coverage.instrumented) {
          const notRun = spec.kernels.filter((k) => !called.has(k));
          if (notRun.length) throw new Error(`${title}: the test never ran kernel(s) ${notRun.join(", ")} it is meant to check`);
        }
        this.coverage.record(spec.kernels, spec.dtype, "pass", title);
        this.coverage.opsPassed(ops);
      } catch (err) {
        if (!skipped) this.coverage.record(spec.kernels, spec.dtype, "fail", title);
        throw err;
      } finally {
        this.current = null;
        this.currentOps = null;
      }
    }, this.timeout);
  }

  /** Bytes the backend holds in live buffers (its own account, independent of tf.memory()). */
  private backendBytes(): number {
    const m = this.backend.memory();
    return m.numBytesInUse ?? m.numBytesInBackend;
  }

  /** Runs a fast-check property with the suite's run count and seed. */
  async property<T>(arb: fc.Arbitrary<T>, check: (v: T) => Promise<void>, runs = this.numRuns): Promise<void> {
    await fc.assert(fc.asyncProperty(arb, check), { numRuns: runs, ...(this.seed === undefined ? {} : { seed: this.seed }) });
  }

  /** Checks a few hand-picked cases (special values, edge shapes) before or beside a property. */
  async cases<T>(list: readonly T[], check: (v: T) => Promise<void>): Promise<void> {
    for (const c of list) await check(c);
  }
}

/** Reads a tensor's values and dtype without leaking (used by tests that build their own tensors). */
export async function readAndDispose(t: tf.Tensor): Promise<{ dtype: DType; shape: number[]; data: number[] | string[] }> {
  try {
    return { dtype: t.dtype, shape: t.shape.slice(), data: Array.from((await t.data()) as ArrayLike<number>) as number[] | string[] };
  } finally {
    t.dispose();
  }
}
