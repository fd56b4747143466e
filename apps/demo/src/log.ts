/** How sections print: `console.log` when run, a capturing function in tests. */
export type Log = (...args: unknown[]) => void;

/** One part of the walk-through. */
export interface Section {
  /** Printed as the section's header. */
  title: string;
  run(log: Log): void | Promise<void>;
}

/** Prints a line of code as typed at a REPL (`> code`), then what it shows. */
export function show(log: Log, code: string, ...values: unknown[]): void {
  log(`> ${code}`);
  if (values.length > 0) log(...values);
}

/** Runs `fn`, which should throw, and prints the error as Python would (`ValueError: message`). */
export function showError(log: Log, code: string, fn: () => unknown): void {
  log(`> ${code}`);
  try {
    fn();
    log("(no error)");
  } catch (err) {
    log(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}
