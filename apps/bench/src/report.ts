/** Rows from timings, and the table / JSON the CLI prints. */
import { compareOutputs } from "./harness.js";
import type { PairTiming } from "./harness.js";
import type { Machine } from "./machine.js";
import { machineLine } from "./machine.js";
import type { PairSpec } from "./pairs.js";
import type { MemoryResult, PairInfo } from "./protocol.js";
import { describeTarget, isMet, targetFor } from "./targets.js";
import type { BenchCase, Row, Side } from "./types.js";

export function makeRow(c: BenchCase, pair: PairSpec, pairLabel: string, timing: PairTiming, notes: string[]): Row {
  const t = timing.tessera.status === "ok" ? timing.tessera.stats.median : null;
  const f = timing.tfjs.status === "ok" ? timing.tfjs.stats.median : null;
  const ratio = t !== null && f !== null && t > 0 ? f / t : null;
  const target = targetFor(c.id, pair.id);
  const usPerOp = t !== null && c.opsPerRun ? (t * 1000) / c.opsPerRun : null;
  const row: Row = {
    caseId: c.id,
    family: c.family,
    title: c.title,
    pair: pair.id,
    pairLabel,
    tessera: timing.tessera,
    tfjs: timing.tfjs,
    ratio,
    met: isMet(target, ratio, usPerOp),
    notes,
  };
  if (c.work) row.work = c.work;
  if (c.opsPerRun) row.opsPerRun = c.opsPerRun;
  const rate = rateOf(c);
  if (rate) row.rates = { unit: rate.unit, tessera: t === null ? null : rate.of(t), tfjs: f === null ? null : rate.of(f) };
  if (target) row.target = target;
  if (timing.tesseraOutput && timing.tfjsOutput) row.check = compareOutputs(timing.tesseraOutput, timing.tfjsOutput, c.tolerance ?? 1e-3);
  return row;
}

/** How a median time (ms per run) becomes the case's throughput figure. */
function rateOf(c: BenchCase): { unit: "GFLOP/s" | "GB/s" | "µs/op"; of: (ms: number) => number } | null {
  const ops = c.opsPerRun;
  if (ops) return { unit: "µs/op", of: (ms) => (ms * 1000) / ops };
  const flops = c.work?.flops;
  if (flops) return { unit: "GFLOP/s", of: (ms) => flops / (ms / 1000) / 1e9 };
  const bytes = c.work?.bytes;
  if (bytes) return { unit: "GB/s", of: (ms) => bytes / (ms / 1000) / 1e9 };
  return null;
}

// ---- formatting -------------------------------------------------------------------------------

function ms(x: number): string {
  if (x < 1) return x.toFixed(3);
  if (x < 10) return x.toFixed(2);
  if (x < 100) return x.toFixed(1);
  return x.toFixed(0);
}

/** "52.1 ±2%": median, and half the interquartile range relative to it. */
function timeCell(side: Side, footnote: (reason: string) => string): string {
  if (side.status !== "ok") return `${side.status} ${footnote(side.reason)}`;
  const { median, p25, p75 } = side.stats;
  const spread = median > 0 ? Math.round((50 * (p75 - p25)) / median) : 0;
  return `${ms(median)} ±${spread}%`;
}

function rateCell(row: Row, value: number | null | undefined): string {
  if (!row.rates || value === null || value === undefined) return "";
  return `${value.toFixed(2)} ${row.rates.unit}`;
}

function metCell(row: Row): string {
  if (!row.target) return "";
  return row.met === null ? "?" : row.met ? "yes" : "NO";
}

function checkCell(row: Row): string {
  if (!row.check) return "";
  return row.check.ok ? "ok" : `MISMATCH ${row.check.maxRelDiff.toExponential(1)}`;
}

/** A Markdown table padded so it also reads as plain text. */
function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

export interface Report {
  machine: Machine;
  quick: boolean;
  pairs: PairInfo[];
  rows: Row[];
  memory: MemoryResult[];
  notes: string[];
  wallSeconds: number;
}

export function formatReport(r: Report): string {
  const out: string[] = [];
  out.push(`Machine: ${machineLine(r.machine)}`);
  out.push(`Mode: ${r.quick ? "--quick" : "full"}; ratio = TF.js ms / Tessera ms (above 1: Tessera is faster); times are medians per run, ± is half the interquartile range.`);
  out.push("");
  for (const p of r.pairs) {
    out.push(`- ${p.pair}: ${p.skipped ? `skipped: ${p.skipped}` : `${p.tessera} vs ${p.tfjs}`}${p.caveat ? ` — ${p.caveat}` : ""}`);
  }
  const footnotes: string[] = [];
  const footnote = (reason: string) => {
    let i = footnotes.indexOf(reason);
    if (i < 0) i = footnotes.push(reason) - 1;
    return `[${i + 1}]`;
  };
  if (r.rows.length > 0) {
    out.push("");
    const header = ["case", "pair", "Tessera ms", "TF.js ms", "ratio", "Tessera rate", "TF.js rate", "target", "met", "check"];
    const body = r.rows.map((row) => [
      row.title,
      row.pair,
      timeCell(row.tessera, footnote),
      timeCell(row.tfjs, footnote),
      row.ratio === null ? "" : `${row.ratio.toFixed(2)}x`,
      rateCell(row, row.rates?.tessera),
      rateCell(row, row.rates?.tfjs),
      describeTarget(row.target),
      metCell(row),
      checkCell(row),
    ]);
    out.push(table(header, body));
  }
  if (r.memory.length > 0) {
    out.push("");
    const steps = r.memory[0]!.steps;
    out.push(`Memory after ${steps} training steps (MLP 784-128-10, batch 64, Adam), each library alone in its own process:`);
    out.push("");
    const header = ["pair", "library", "ms/step", "RSS start MiB", "RSS end MiB", "peak RSS MiB", "tf.memory() tensors", "tf.memory() bytes"];
    const body = r.memory.map((m) =>
      m.status !== "ok"
        ? [m.pair, m.label, `${m.status} ${footnote(m.reason ?? "")}`, "", "", "", "", ""]
        : [
            m.pair,
            m.label,
            ms(m.msPerStep!),
            m.rssStartMiB!.toFixed(0),
            m.rssEndMiB!.toFixed(0),
            m.peakRssMiB!.toFixed(0),
            `${m.tensorsStart} → ${m.tensorsEnd}`,
            `${m.bytesStart!.toLocaleString("en-US")} → ${m.bytesEnd!.toLocaleString("en-US")}`,
          ],
    );
    out.push(table(header, body));
  }
  const notes = [...r.notes, ...r.rows.flatMap((row) => row.notes.map((n) => `${row.title} (${row.pair}): ${n}`))];
  if (notes.length > 0) {
    out.push("");
    out.push("Notes:");
    for (const n of notes) out.push(`- ${n}`);
  }
  if (footnotes.length > 0) {
    out.push("");
    footnotes.forEach((f, i) => out.push(`[${i + 1}] ${f}`));
  }
  out.push("");
  out.push(`Wall time: ${r.wallSeconds.toFixed(0)} s.`);
  return out.join("\n");
}

export function jsonReport(r: Report): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2);
}
