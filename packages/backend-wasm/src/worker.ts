/**
 * The code every worker runs. `workerMain` is shipped as source text (`workerSource`), so it must be
 * self-contained: no imports, no outer variables. The control-word layout is documented in threads.ts.
 */

/** What a worker's host environment offers (Node's parentPort or a Web Worker's self). */
export interface WorkerHost {
  onMessage(handler: (msg: unknown) => void): void;
  post(msg: unknown): void;
  exit(): void;
}

export interface WorkerInit {
  readonly type: "init";
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly ctrl: SharedArrayBuffer;
  readonly names: readonly string[];
  readonly tid: number;
}

export function workerMain(host: WorkerHost): void {
  host.onMessage((raw) => {
    const msg = raw as WorkerInit;
    if (msg === null || typeof msg !== "object" || msg.type !== "init") return;
    const GEN = 0, STOP = 1, WORD = 2, DONE = 3, FN = 4, PARAMS = 5, TOTAL = 6, CHUNK = 7, KILL = 8, ERROR = 9, WORKER_CHUNKS = 10, OWNER = 16;
    const SPINS = 2000;
    let fns: ((p: number, tid: number, s: number, e: number) => void)[];
    try {
      const instance = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
      const exports = instance.exports as Record<string, (p: number, tid: number, s: number, e: number) => void>;
      fns = msg.names.map((n) => exports[n]!);
    } catch (e) {
      host.post({ type: "failed", tid: msg.tid, message: String(e) });
      return;
    }
    const ctrl = new Int32Array(msg.ctrl);
    const tid = msg.tid;
    host.post({ type: "ready", tid });
    let seen = Atomics.load(ctrl, GEN);
    for (;;) {
      let spins = 0;
      while (Atomics.load(ctrl, GEN) === seen) {
        if (++spins > SPINS) {
          Atomics.wait(ctrl, GEN, seen);
          spins = 0;
        }
      }
      if (Atomics.load(ctrl, STOP) !== 0) break;
      seen = Atomics.load(ctrl, GEN);
      const tag = seen & 0xffff;
      const fn = fns[Atomics.load(ctrl, FN)]!;
      const params = Atomics.load(ctrl, PARAMS) >>> 0;
      const total = Atomics.load(ctrl, TOTAL);
      const chunk = Atomics.load(ctrl, CHUNK);
      for (;;) {
        const w = Atomics.load(ctrl, WORD);
        if (w >>> 16 !== tag) break;
        const next = w & 255;
        if (next >= ((w >>> 8) & 255)) break;
        if (Atomics.compareExchange(ctrl, WORD, w, w + 1) !== w) continue;
        Atomics.store(ctrl, OWNER + next, tid);
        if (Atomics.load(ctrl, KILL) === tid) host.exit(); // test hook: die holding a chunk
        const start = next * chunk;
        try {
          fn(params, tid, start, Math.min(total, start + chunk));
        } catch {
          Atomics.store(ctrl, ERROR, 1);
        }
        Atomics.store(ctrl, OWNER + next, -2);
        Atomics.add(ctrl, WORKER_CHUNKS, 1);
        Atomics.add(ctrl, DONE, 1);
        Atomics.notify(ctrl, DONE);
      }
    }
    host.exit();
  });
}

/** Source of a Node worker_threads worker (run with `eval: true`). */
export function nodeWorkerSource(): string {
  return `const { parentPort } = require("node:worker_threads");
(${workerMain.toString()})({
  onMessage: (f) => parentPort.on("message", f),
  post: (m) => parentPort.postMessage(m),
  exit: () => process.exit(0),
});`;
}

/** Source of a browser Web Worker (loaded from a Blob URL). */
export function browserWorkerSource(): string {
  return `(${workerMain.toString()})({
  onMessage: (f) => { self.onmessage = (e) => f(e.data); },
  post: (m) => self.postMessage(m),
  exit: () => { self.close(); throw new Error("worker stopped"); },
});`;
}
