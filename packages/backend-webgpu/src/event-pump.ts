/**
 * Synchronous waits on Dawn in Node (`dataSync()`).
 *
 * dawn.node settles its promises (mapAsync, requestDevice, ...) from a callback that it schedules
 * with the global `setImmediate` whenever it has outstanding work; that callback calls Dawn's
 * `Instance::ProcessEvents` and schedules itself again while work remains. Around every call into
 * Dawn that can start such work, `guard` swaps `setImmediate` for a recorder, so the pump always
 * knows the latest callback and keeps exactly one real `setImmediate` queued for it (the event loop
 * still drives Dawn as before). A synchronous wait calls the recorded callback in a loop until the
 * condition holds (e.g. a staging buffer's `mapState` is "mapped"), sleeping briefly between polls.
 *
 * The backend checks at start-up that a synchronous read really works here (`selfTest` in
 * backend.ts) and otherwise reports that `dataSync()` is unavailable, so this never gives a wrong
 * answer; it only ever fails loudly.
 */
export interface EventPump {
  /** True when `pumpUntil` can wait synchronously on this platform. */
  readonly canPump: boolean;
  /** Runs `fn` (a call into the WebGPU implementation) so that scheduled event processing is observed. */
  guard<T>(fn: () => T): T;
  /** Processes WebGPU events until `done()` holds; throws naming `what` after `timeoutMs`. */
  pumpUntil(done: () => boolean, what: string, timeoutMs?: number): void;
}

type Immediate = (fn: () => void) => unknown;

/** Browsers (and any WebGPU without dawn.node's scheduling): no synchronous waits. */
export class NoPump implements EventPump {
  readonly canPump = false;
  guard<T>(fn: () => T): T {
    return fn();
  }
  pumpUntil(_done: () => boolean, what: string): void {
    throw new Error(`cannot wait synchronously for ${what} on this platform`);
  }
}

/** dawn.node in Node: see the file comment. */
export class DawnNodePump implements EventPump {
  private tick: (() => void) | null = null;
  private realQueued = false;
  private readonly realSetImmediate: Immediate;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  private readonly recorder: Immediate;

  constructor() {
    const g = globalThis as unknown as { setImmediate: Immediate };
    this.realSetImmediate = g.setImmediate.bind(globalThis);
    this.recorder = (fn: () => void) => {
      this.tick = fn;
      if (!this.realQueued) {
        this.realQueued = true;
        this.realSetImmediate(this.runQueued);
      }
      return undefined;
    };
  }

  get canPump(): boolean {
    return this.tick !== null;
  }

  private readonly runQueued = (): void => {
    this.realQueued = false;
    const f = this.tick;
    if (f) this.guard(f);
  };

  guard<T>(fn: () => T): T {
    const g = globalThis as unknown as { setImmediate: Immediate };
    const prev = g.setImmediate;
    if (prev === this.recorder) return fn();
    g.setImmediate = this.recorder;
    try {
      return fn();
    } finally {
      g.setImmediate = prev;
    }
  }

  pumpUntil(done: () => boolean, what: string, timeoutMs = 600_000): void {
    if (done()) return;
    const start = Date.now();
    let polls = 0;
    this.guard(() => {
      while (!done()) {
        const f = this.tick;
        if (!f) throw new Error(`cannot wait synchronously for ${what}: dawn.node scheduled no event processing`);
        f();
        if (done()) return;
        polls++;
        // Spin briefly (small reads finish within a few polls), then sleep up to 1 ms between polls.
        if (polls > 16) Atomics.wait(this.sleeper, 0, 0, Math.min(1, (polls - 16) * 0.05));
        if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting synchronously for ${what}`);
      }
    });
  }
}
