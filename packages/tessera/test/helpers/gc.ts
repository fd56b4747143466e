/** The garbage collector, for tests that compare tf.memory() across awaits. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// `gc` is reachable without --expose-gc: set the flag at run time and take gc from a fresh context.
setFlagsFromString("--expose-gc");
export const gc = runInNewContext("gc") as () => void;

/** Collects garbage (letting finalizers run between passes) until `until()` holds, at most 50 passes. */
export async function collect(until: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !until(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Collects until `count()` stops changing: tensors leaked earlier (and freed by the garbage collector
 * whenever it runs) no longer move the numbers a test compares.
 */
export async function settle(count: () => number): Promise<void> {
  let last = -1;
  await collect(() => {
    const n = count();
    const stable = n === last;
    last = n;
    return stable;
  });
}
