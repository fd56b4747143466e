/**
 * Worker threads sharing the wasm memory (Node worker_threads or browser Web Workers).
 *
 * A parallel op is a range function (exports.ts) over `total` work units cut into at most 255 chunks.
 * The main thread publishes the op in a small shared control array, wakes the workers, and takes
 * chunks itself like any worker; chunks are claimed with compare-and-swap on one word that also holds
 * the op's generation, so a worker that wakes late can never claim a chunk of a newer op.
 * Every chunk writes only its own part of the output, so the main thread can recompute a chunk whose
 * worker died. A worker that dies or stops answering is reported (console warning) and the pool
 * switches itself off: the backend continues on one thread, it never hangs.
 *
 * Control words (Int32Array over a SharedArrayBuffer):
 *   0 GEN generation (bumped per op; workers wait on it)   1 STOP
 *   2 WORD (gen & 0xffff) << 16 | nchunks << 8 | next chunk   3 DONE chunks finished
 *   4 FN index in RANGE_FNS   5 PARAMS   6 TOTAL units   7 CHUNK units per chunk
 *   8 KILL (test hook: tid of a worker that must die holding a chunk)   9 ERROR (a chunk threw)
 *   10 chunks run by workers so far (statistics)
 *   16 + c OWNER of chunk c: -1 unclaimed, tid while running, -2 done
 */
import { RANGE_FNS } from "./exports.js";
import type { RangeFnName, WasmExports } from "./exports.js";
import { browserWorkerSource, nodeWorkerSource } from "./worker.js";
import type { WorkerInit } from "./worker.js";
import { node } from "./platform.js";

const GEN = 0, STOP = 1, WORD = 2, DONE = 3, FN = 4, PARAMS = 5, TOTAL = 6, CHUNK = 7, KILL = 8, ERROR = 9, WORKER_CHUNKS = 10, OWNER = 16;
const MAX_CHUNKS = 255;
/** A chunk held by a worker this long past the main thread's own work means the worker is gone. */
const STALL_MS = 2000;

/** The part of a browser Worker we use (reached through globalThis, so Node builds never reference it). */
interface BrowserWorker {
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message: string }) => void) | null;
  postMessage(msg: unknown): void;
  terminate(): void;
}

interface PoolWorker {
  terminate(): void;
}

export class ThreadPool {
  /** Threads including the main thread. */
  readonly size: number;
  private readonly ctrl: Int32Array;
  private readonly workers: PoolWorker[];
  private gen = 0;
  private broken: string | null = null;
  private disposed = false;
  private readonly canBlock: boolean;

  private constructor(size: number, ctrl: Int32Array, workers: PoolWorker[]) {
    this.size = size;
    this.ctrl = ctrl;
    this.workers = workers;
    this.canBlock = node !== null;
  }

  /** Starts `size - 1` workers; resolves once each has instantiated the module. */
  static async start(size: number, module: WebAssembly.Module, memory: WebAssembly.Memory, timeoutMs = 20000): Promise<ThreadPool> {
    const ctrl = new Int32Array(new SharedArrayBuffer(4 * (OWNER + MAX_CHUNKS + 1)));
    const workers: PoolWorker[] = [];
    const ready: Promise<void>[] = [];
    let pool: ThreadPool | null = null;
    const onDeath = (tid: number, why: string): void => {
      if (pool) pool.markBroken(`worker ${tid} ${why}`);
    };
    try {
      for (let tid = 1; tid < size; tid++) {
        const init: WorkerInit = { type: "init", module, memory, ctrl: ctrl.buffer as SharedArrayBuffer, names: RANGE_FNS, tid };
        ready.push(new Promise<void>((resolve, reject) => {
          const onMessage = (m: unknown): void => {
            const msg = m as { type?: string; message?: string };
            if (msg.type === "ready") resolve();
            else if (msg.type === "failed") reject(new Error(`worker ${tid} could not instantiate the module: ${msg.message}`));
          };
          const onError = (e: unknown): void => {
            reject(new Error(`worker ${tid} failed to start: ${String(e)}`));
            onDeath(tid, `crashed (${String(e)})`);
          };
          const onExit = (code: number): void => {
            reject(new Error(`worker ${tid} exited while starting (code ${code})`));
            onDeath(tid, `exited (code ${code})`);
          };
          workers.push(spawn(init, onMessage, onError, onExit));
        }));
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`workers did not start within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([Promise.all(ready), timeout]);
      } finally {
        clearTimeout(timer);
      }
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    pool = new ThreadPool(size, ctrl, workers);
    return pool;
  }

  /** Null while the pool works; otherwise why it was switched off. */
  get brokenReason(): string | null {
    return this.broken;
  }

  get usable(): boolean {
    return this.broken === null && !this.disposed;
  }

  /** Switches the pool off after a worker died; later ops run on the main thread. */
  markBroken(why: string): void {
    if (this.broken !== null || this.disposed) return;
    this.broken = why;
    console.warn(`[tessera wasm] ${why}; continuing with one thread.`);
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) w.terminate();
  }

  /**
   * Runs `fn` over [0, total) in chunks of `chunk` units on all threads; returns when every chunk is done.
   * Falls back to the calling thread alone when the pool is not usable.
   */
  run(exports: WasmExports, name: RangeFnName, params: number, total: number, chunk: number): void {
    const fn = exports[name];
    const nchunks = Math.ceil(total / chunk);
    if (!this.usable || nchunks <= 1 || nchunks > MAX_CHUNKS) {
      fn(params, 0, 0, total);
      return;
    }
    const c = this.ctrl;
    this.gen = (this.gen + 1) & 0x3fffffff;
    const tag = this.gen & 0xffff;
    Atomics.store(c, FN, RANGE_FNS.indexOf(name));
    Atomics.store(c, PARAMS, params | 0);
    Atomics.store(c, TOTAL, total);
    Atomics.store(c, CHUNK, chunk);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERROR, 0);
    for (let i = 0; i < nchunks; i++) Atomics.store(c, OWNER + i, -1);
    Atomics.store(c, WORD, (tag << 16) | (nchunks << 8));
    Atomics.store(c, GEN, this.gen);
    Atomics.notify(c, GEN);

    // The main thread works too.
    let mainTime = 0;
    for (;;) {
      const w = Atomics.load(c, WORD);
      const next = w & 255;
      if (next >= nchunks) break;
      if (Atomics.compareExchange(c, WORD, w, w + 1) !== w) continue;
      Atomics.store(c, OWNER + next, 0);
      const t0 = performance.now();
      const start = next * chunk;
      fn(params, 0, start, Math.min(total, start + chunk));
      mainTime = Math.max(mainTime, performance.now() - t0);
      Atomics.store(c, OWNER + next, -2);
      Atomics.add(c, DONE, 1);
    }

    // Wait for chunks still running on workers.
    const deadline = performance.now() + STALL_MS + 20 * mainTime;
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done >= nchunks) break;
      if (this.canBlock) Atomics.wait(c, DONE, done, 50);
      if (performance.now() > deadline) {
        this.recoverStalled(fn, params, total, chunk, nchunks);
        break;
      }
    }
    if (Atomics.load(c, ERROR) !== 0) throw new Error(`a worker failed while running ${name}`);
  }

  /** Recomputes the chunks held by stalled workers on this thread and switches the pool off. */
  private recoverStalled(fn: WasmExports[RangeFnName], params: number, total: number, chunk: number, nchunks: number): void {
    const stalled: number[] = [];
    for (let i = 0; i < nchunks; i++) {
      const owner = Atomics.load(this.ctrl, OWNER + i);
      if (owner !== -2) {
        stalled.push(owner);
        const start = i * chunk;
        fn(params, 0, start, Math.min(total, start + chunk));
      }
    }
    this.markBroken(`worker ${[...new Set(stalled)].join(", ")} stopped responding (it died or hung while holding work)`);
  }

  /** Chunks the workers (not the main thread) have run since the pool started. */
  get workerChunks(): number {
    return Atomics.load(this.ctrl, WORKER_CHUNKS);
  }

  /** Test hook: makes worker `tid` exit as soon as it claims a chunk. */
  killOnNextChunk(tid: number): void {
    Atomics.store(this.ctrl, KILL, tid);
  }

  /** Test hook: terminates worker `tid` (1-based) right away, as a crash would. */
  terminateWorker(tid: number): void {
    this.workers[tid - 1]?.terminate();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) w.terminate();
  }
}

function spawn(init: WorkerInit, onMessage: (m: unknown) => void, onError: (e: unknown) => void, onExit: (code: number) => void): PoolWorker {
  if (node) {
    // execArgv: [] so flags such as --input-type=module do not turn the CommonJS worker source into ESM.
    const w = new node.workerThreads.Worker(nodeWorkerSource(), { eval: true, execArgv: [] });
    w.on("message", onMessage);
    w.on("error", onError);
    w.on("exit", onExit);
    // Idle workers must not keep the process alive; unref after adding listeners, which ref the port again.
    w.unref();
    w.postMessage(init);
    return { terminate: () => void w.terminate() };
  }
  const blob = new Blob([browserWorkerSource()], { type: "text/javascript" });
  const url = URL.createObjectURL(blob);
  const WorkerCtor = (globalThis as unknown as { Worker: new (url: string) => BrowserWorker }).Worker;
  const w = new WorkerCtor(url);
  w.onmessage = (e) => onMessage(e.data);
  w.onerror = (e) => onError(e.message);
  w.postMessage(init);
  return {
    terminate: () => {
      w.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
