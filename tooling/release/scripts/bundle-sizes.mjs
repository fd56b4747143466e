#!/usr/bin/env node
// `pnpm --filter @tessera/release sizes`: what an app pays in bytes, Tessera against TensorFlow.js
// 4.22 built the same way (esbuild, minified, ESM, browser), for the README's table. Needs `pnpm build`.
// Prints a Markdown table: JavaScript raw and gzip per app, and the one .wasm each app fetches on a
// browser with SIMD and threads.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const here = import.meta.dirname;
const root = resolve(here, "../../..");
const umbrella = join(root, "packages", "tessera");

/** Apps: the same program written for each library. */
const APPS = [
  {
    name: "a few ops on wasm (`add`, `matMul`)",
    tessera: `import { constant, add, matmul } from "@tessera/core"; import "@tessera/backend-wasm";
      const a = constant([[1, 2], [3, 4]]); console.log(add(a, matmul(a, a)).dataSync());`,
    tfjs: `import { tensor, add, matMul } from "@tensorflow/tfjs-core"; import "@tensorflow/tfjs-backend-wasm";
      const a = tensor([[1, 2], [3, 4]]); console.log(add(a, matMul(a, a)).dataSync());`,
  },
  {
    name: "everything: ops, Keras, tf.data, io, with the CPU and wasm backends",
    tessera: `import * as tf from "@tessera/core"; import "@tessera/backend-js"; import "@tessera/backend-wasm"; globalThis.tf = tf;`,
    tfjs: `import * as core from "@tensorflow/tfjs-core"; import * as layers from "@tensorflow/tfjs-layers";
      import "@tensorflow/tfjs-backend-cpu"; import "@tensorflow/tfjs-backend-wasm"; globalThis.tf = { ...core, ...layers };`,
  },
  {
    name: "`@tessera/tf` (adds the WebGPU backend)",
    tessera: `import * as tf from "@tessera/tf"; globalThis.tf = tf;`,
    tfjs: null,
  },
];

/** Bytes the app loads at start: its entry chunk and the chunks it imports statically (code that
 * loads on demand, such as h5wasm for Keras .h5 files, is split off by `splitting` and not counted). */
async function size(contents, resolveDir) {
  const r = await esbuild.build({
    stdin: { contents, resolveDir, sourcefile: "app.js" },
    bundle: true, minify: true, format: "esm", platform: "browser", splitting: true, outdir: "out",
    write: false, metafile: true, logLevel: "error",
    // The umbrella by its published name, from its build.
    alias: { "@tessera/tf": join(umbrella, "dist", "index.js") },
  });
  const files = new Map(r.outputFiles.map((f) => [f.path.slice(f.path.lastIndexOf("/out/") + 1), f.contents]));
  const outputs = r.metafile.outputs;
  const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint !== undefined);
  const loaded = new Set();
  const visit = (k) => {
    if (loaded.has(k)) return;
    loaded.add(k);
    for (const i of outputs[k].imports) if (i.kind === "import-statement" && outputs[i.path]) visit(i.path);
  };
  visit(entry);
  const js = Buffer.concat([...loaded].map((k) => Buffer.from(files.get(k))));
  return { raw: js.length, gzip: gzipSync(js, { level: 9 }).length };
}

function wasmSize(file) {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
const cell = (s) => `${kib(s.raw)} / ${kib(s.gzip)}`;

const tfjsWasmDir = dirname(createRequire(join(here, "..", "package.json")).resolve("@tensorflow/tfjs-backend-wasm/package.json"));
const rows = [];
for (const app of APPS) {
  const tfjs = app.tfjs === null ? "—" : cell(await size(app.tfjs, here));
  rows.push(`| ${app.name} | ${cell(await size(app.tessera, umbrella))} | ${tfjs} |`);
}
const tesseraWasm = wasmSize(join(root, "packages", "backend-wasm", "build", "tessera-simd-threads.wasm"));
const tfjsWasm = wasmSize(join(tfjsWasmDir, "dist", "tfjs-backend-wasm-threaded-simd.wasm"));
rows.push(`| the .wasm fetched (SIMD + threads) | ${cell(tesseraWasm)} | ${cell(tfjsWasm)} |`);

console.log("| app (esbuild, minified) | Tessera raw / gzip | TensorFlow.js 4.22 raw / gzip |");
console.log("|---|---|---|");
for (const r of rows) console.log(r);
