import { defineConfig } from "vite";

// Threads in the wasm backend need SharedArrayBuffer, which browsers give only to cross-origin
// isolated pages: both servers send these two headers on every response.
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

const port = Number.parseInt(process.env["PORT"] ?? "", 10) || 5173;

export default defineConfig({
  // The backends use top-level await and `new URL(…, import.meta.url)` for their binaries.
  build: { target: "es2022", chunkSizeWarningLimit: 2048 },
  worker: { format: "es" },
  server: { host: "127.0.0.1", port, strictPort: true, headers: isolation },
  preview: { host: "127.0.0.1", port, strictPort: true, headers: isolation },
});
