// Builds dist/tessera.iife.js: @tessera/tf as one classic <script> (global `tf`), for CDNs and pages
// without a bundler. h5wasm (only needed to read Keras 2 .h5 files) stays out of it: it is 5 MB.
// The wasm backend cannot find its binaries from a classic script: pages call
// `tf.configureWasmBackend({ wasmPaths: ".../@tessera/backend-wasm/build/" })` first.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/index.js"],
  outfile: "dist/tessera.iife.js",
  bundle: true,
  format: "iife",
  globalName: "tf",
  platform: "browser",
  target: "es2022",
  minify: true,
  external: ["h5wasm"],
  // import.meta.url only locates the default .wasm files; the IIFE build is told with wasmPaths.
  logOverride: { "empty-import-meta": "silent" },
  logLevel: "warning",
  legalComments: "none",
  banner: { js: "/*! @tessera/tf | Apache-2.0 | https://github.com/tessera-js/tessera */" },
});
