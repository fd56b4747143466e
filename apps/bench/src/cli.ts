/** Command-line arguments of `pnpm bench`. Parsing only: no timing, no side effects. */
import type { BackendName } from "./pairs.js";
import { BACKENDS } from "./pairs.js";

export interface Options {
  quick: boolean;
  /** null: print the table; "-": JSON on stdout instead; else a file to write JSON to as well. */
  json: string | null;
  /** Selects cases whose id or title matches (case-insensitive); null: all. */
  filter: RegExp | null;
  backends: BackendName[];
  /** Whether --backends was given (an explicit webgpu runs even on a CPU-emulated adapter). */
  explicitBackends: boolean;
  /** Thread counts for the wasm pairs. */
  threads: number[];
  /** Training steps of the memory section (default 1,000; 50 with --quick). */
  steps: number;
  list: boolean;
  help: boolean;
  /** Run the webgpu backend's own GPU benchmark instead, passing these arguments on. */
  gpu: string[] | null;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `Usage: pnpm bench [options]

  --quick               fewer iterations (under 3 minutes for js and wasm)
  --filter <re>         only cases whose id or title matches (substring or regular expression)
  --backends <list>     comma-separated: ${BACKENDS.join(", ")} (default: all; webgpu runs on a
                        hardware adapter, or on a CPU-emulated one when named here)
  --threads <list>      thread counts for the wasm pairs (default: 1,2)
  --steps <n>           training steps for the memory section (default 1000, --quick 50)
  --json[=<file>]       JSON on stdout instead of the table, or also to <file>
  --list                list case ids and exit
  --gpu [args...]       run packages/backend-webgpu/bench/gpu-bench.ts with the remaining arguments
  -h, --help            this text`;

function positiveInts(flag: string, value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((p) => p === "") || nums.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UsageError(`${flag} takes positive integers separated by commas, got "${value}"`);
  }
  return nums;
}

/** Parses argv (without node and script); `caseIds`/`titles` validate --filter. */
export function parseArgs(argv: readonly string[], cases: readonly { id: string; title: string }[]): Options {
  const opts: Options = {
    quick: false,
    json: null,
    filter: null,
    backends: [...BACKENDS],
    explicitBackends: false,
    threads: [1, 2],
    steps: 0,
    list: false,
    help: false,
    gpu: null,
  };
  let steps: number | null = null;
  const args = [...argv];
  while (args.length > 0) {
    const arg = args.shift()!;
    // pnpm forwards the "--" that separates its own arguments from the script's.
    if (arg === "--") continue;
    const eq = arg.indexOf("=");
    const [flag, inline] = arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args.shift();
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        opts.quick = true;
        break;
      case "--json":
        opts.json = inline ?? "-";
        break;
      case "--filter": {
        const src = value();
        let re: RegExp;
        try {
          re = new RegExp(src, "i");
        } catch {
          re = new RegExp(src.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
        }
        const matched = cases.filter((c) => re.test(c.id) || re.test(c.title));
        if (matched.length === 0) {
          throw new UsageError(`No case matches --filter "${src}". Valid cases:\n  ${cases.map((c) => c.id).join("\n  ")}`);
        }
        opts.filter = re;
        break;
      }
      case "--backends": {
        const names = value().split(",").map((s) => s.trim());
        const unknown = names.filter((n) => !(BACKENDS as readonly string[]).includes(n));
        if (unknown.length > 0 || names.length === 0) {
          throw new UsageError(`Unknown backend${unknown.length === 1 ? "" : "s"} ${unknown.map((u) => `"${u}"`).join(", ")} in --backends. Valid backends: ${BACKENDS.join(", ")}`);
        }
        opts.backends = BACKENDS.filter((b) => names.includes(b));
        opts.explicitBackends = true;
        break;
      }
      case "--threads":
        opts.threads = [...new Set(positiveInts(flag, value()))];
        break;
      case "--steps":
        steps = positiveInts(flag, value())[0]!;
        break;
      case "--list":
        opts.list = true;
        break;
      case "-h":
      case "--help":
        opts.help = true;
        break;
      case "--gpu":
        opts.gpu = args.splice(0);
        break;
      default:
        throw new UsageError(`Unknown argument "${arg}".\n\n${USAGE}`);
    }
  }
  opts.steps = steps ?? (opts.quick ? 50 : 1000);
  return opts;
}

/** Whether a case is selected by the options' filter. */
export function selected(opts: Options, c: { id: string; title: string }): boolean {
  return opts.filter === null || opts.filter.test(c.id) || opts.filter.test(c.title);
}
