// Serves the app cross-origin isolated in `vite` and `vite preview`, so the wasm backend can use
// worker threads on shared memory.
const isolated = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default { server: { headers: isolated }, preview: { headers: isolated } };
