/** Giving the event loop a turn during long loops, so a browser page stays responsive. */

type Scheduler = (fn: () => void) => void;

function pickScheduler(): Scheduler {
  const g = globalThis as unknown as {
    setImmediate?: (fn: () => void) => unknown;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(m: unknown): void } };
  };
  // setImmediate (Node) and MessageChannel (browsers) run after pending I/O and rendering, without
  // setTimeout's 1–4 ms clamp.
  if (typeof g.setImmediate === "function") return (fn) => void g.setImmediate!(fn);
  if (typeof g.MessageChannel === "function") {
    return (fn) => {
      const ch = new g.MessageChannel!();
      ch.port1.onmessage = () => {
        ch.port1.close();
        fn();
      };
      ch.port2.postMessage(null);
    };
  }
  return (fn) => void setTimeout(fn, 0);
}

const schedule = pickScheduler();

/** Resolves on the next macrotask. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}

/** Yields at most every `intervalMs` of work (call it once per batch). */
export class Yielder {
  private last = Date.now();
  constructor(private readonly intervalMs = 16) {}
  async maybeYield(): Promise<void> {
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    await nextMacrotask();
    this.last = Date.now();
  }
}
