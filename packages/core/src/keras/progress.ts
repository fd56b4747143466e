/**
 * Keras's progress bar (`Progbar`): `37/125 [=======>......................] - ETA: 1s - loss: 0.6214`.
 *
 * Written here rather than taken from a library: the format is Keras's own (a generic bar such as
 * cli-progress renders differently), and core must stay free of Node-only imports so browser bundles
 * work. In a Node terminal the line is redrawn in place; when stdout is not a terminal only the
 * finished line of each bar is printed (Keras would print a new line every 50 ms); in a browser the
 * finished lines go to `console.log`.
 */

/** Where progress text goes. */
export interface ProgressSink {
  /** Writes text (may contain `\r` to redraw and `\n` to end a line). */
  write(text: string): void;
  /** Whether `\r` redraws the current line (a terminal). */
  readonly dynamic: boolean;
}

interface NodeStdout {
  isTTY?: boolean;
  write(s: string): boolean;
}

/** The default sink: Node's stdout when present, else `console.log` (line by line). */
export function defaultSink(): ProgressSink {
  const stdout = (globalThis as { process?: { stdout?: NodeStdout } }).process?.stdout;
  if (stdout && typeof stdout.write === "function") {
    return { write: (s) => void stdout.write(s), dynamic: stdout.isTTY === true };
  }
  let pending = "";
  return {
    dynamic: false,
    write(s) {
      pending += s;
      let i: number;
      while ((i = pending.indexOf("\n")) >= 0) {
        console.log(pending.slice(0, i));
        pending = pending.slice(i + 1);
      }
    },
  };
}

/** Python's `%.4e`: `1.2340e-04`. */
function expFormat(v: number): string {
  const [m, e] = v.toExponential(4).split("e");
  const exp = Number(e);
  return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** A metric value as Keras prints it: 4 decimals, or scientific notation for tiny values. */
export function formatValue(v: number): string {
  return Math.abs(v) > 1e-3 || !Number.isFinite(v) ? formatFixed(v) : expFormat(v);
}

function formatFixed(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return v.toFixed(4);
}

/** Keras's per-step time: `12ms/step`, `1s/step`, `850us/step`. */
export function formatTimePerUnit(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${seconds.toFixed(0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${(seconds * 1e3).toFixed(0)}ms/${unit}`;
  return ` ${(seconds * 1e6).toFixed(0)}us/${unit}`;
}

function formatEta(eta: number): string {
  const s = Math.floor(eta);
  if (eta > 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  if (eta > 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return `${s}s`;
}

/** Options of `Progbar`. */
export interface ProgbarOptions {
  /** 1: a bar redrawn per step; 2: one line when done (default 1). */
  verbose?: 1 | 2;
  /** Bar width in characters (default 30). */
  width?: number;
  /** Minimum seconds between redraws (default 0.05). */
  interval?: number;
  /** Default "step". */
  unitName?: string;
  /** Default: Node's stdout, or console.log. */
  sink?: ProgressSink;
  /** Clock in seconds (tests inject one). */
  now?: () => number;
}

const clock = (): number => (globalThis.performance?.now() ?? Date.now()) / 1000;

/** A progress bar over `target` steps, printed as Keras prints it. */
export class Progbar {
  private readonly verbose: 1 | 2;
  private readonly width: number;
  private readonly interval: number;
  private readonly unit: string;
  private readonly sink: ProgressSink;
  private readonly now: () => number;
  private readonly start: number;
  private lastUpdate = -Infinity;
  private totalWidth = 0;

  constructor(
    readonly target: number,
    options: ProgbarOptions = {},
  ) {
    this.verbose = options.verbose ?? 1;
    this.width = options.width ?? 30;
    this.interval = options.interval ?? 0.05;
    this.unit = options.unitName ?? "step";
    this.sink = options.sink ?? defaultSink();
    this.now = options.now ?? clock;
    this.start = this.now();
  }

  /** Shows `current` steps done with `values` (already averaged); `finalize` ends the line. */
  update(current: number, values: readonly (readonly [string, number])[], finalize = current >= this.target): void {
    const now = this.now();
    const elapsed = now - this.start;
    const perUnit = current > 0 ? elapsed / current : 0;
    const metrics = values.map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join("");
    const digits = String(this.target).length;
    if (this.verbose === 2) {
      if (!finalize) return;
      const count = `${String(current).padStart(digits)}/${this.target}`;
      this.sink.write(`${count} - ${elapsed.toFixed(0)}s${metrics} - ${elapsed.toFixed(0)}s/epoch -${formatTimePerUnit(perUnit, this.unit)}\n`);
      return;
    }
    if (!finalize && now - this.lastUpdate < this.interval) return;
    this.lastUpdate = now;
    if (!this.sink.dynamic && !finalize) return;
    let bar = `${String(current).padStart(digits)}/${this.target} [`;
    const progWidth = Math.floor(this.width * Math.min(1, current / Math.max(1, this.target)));
    if (progWidth > 0) bar += "=".repeat(progWidth - 1) + (current < this.target ? ">" : "=");
    bar += ".".repeat(this.width - progWidth) + "]";
    let info: string;
    if (finalize) {
      info = ` - ${elapsed.toFixed(0)}s${formatTimePerUnit(perUnit, this.unit)}`;
    } else {
      info = ` - ETA: ${formatEta(perUnit * (this.target - current))}`;
    }
    let line = bar + info + metrics;
    const prev = this.totalWidth;
    this.totalWidth = line.length;
    if (prev > line.length) line += " ".repeat(prev - line.length);
    this.sink.write((this.sink.dynamic ? "\r" : "") + line + (finalize ? "\n" : ""));
  }
}
