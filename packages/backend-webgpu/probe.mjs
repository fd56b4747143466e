import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const realSetImmediate = globalThis.setImmediate;
let tick = null, tickQueued = false;
function hook(fn) { tick = fn; if (!tickQueued) { tickQueued = true; realSetImmediate(runQueued); } return undefined; }
function runQueued() { tickQueued = false; const f = tick; if (f) withHook(() => f()); }
function withHook(body) { const prev = globalThis.setImmediate; globalThis.setImmediate = hook; try { return body(); } finally { globalThis.setImmediate = prev; } }
const gpu = create([]);
globalThis.__gpu = gpu;
const adapter = await withHook(() => gpu.requestAdapter());
const device = await withHook(() => adapter.requestDevice());
const N = 1<<20;
const src = device.createBuffer({size: N*4, usage: GPUBufferUsage.STORAGE|GPUBufferUsage.COPY_SRC|GPUBufferUsage.COPY_DST});
const data = new Float32Array(N).map((_, i) => i);
device.queue.writeBuffer(src, 0, data);
const wait = new Int32Array(new SharedArrayBuffer(4));
function readSync(buf, size) {
  const st = device.createBuffer({size, usage: GPUBufferUsage.MAP_READ|GPUBufferUsage.COPY_DST});
  const enc = device.createCommandEncoder(); enc.copyBufferToBuffer(buf, 0, st, 0, size); device.queue.submit([enc.finish()]);
  let state = 'pending';
  return withHook(() => {
    const p = st.mapAsync(GPUMapMode.READ);
    p.then(() => state='ok', e => state = e);
    let spins = 0;
    const t0 = performance.now();
    while (st.mapState !== 'mapped') {
      if (!tick) throw new Error('no tick');
      tick(); spins++;
      if (st.mapState === 'mapped') break;
      if (spins > 10) Atomics.wait(wait, 0, 0, 0.2);
      if (performance.now() - t0 > 10000) throw new Error('timeout');
    }
    const out = new Float32Array(st.getMappedRange().slice(0));
    st.unmap(); st.destroy();
    return [out, spins, performance.now()-t0];
  });
}
for (let i = 0; i < 3; i++) { const [o, s, t] = readSync(src, N*4); console.log(o[5], o[N-1], s, t.toFixed(2)); }
// interleave with an outstanding async read
const st2 = device.createBuffer({size: 16, usage: GPUBufferUsage.MAP_READ|GPUBufferUsage.COPY_DST});
const enc = device.createCommandEncoder(); enc.copyBufferToBuffer(src, 0, st2, 0, 16); device.queue.submit([enc.finish()]);
const p2 = withHook(() => st2.mapAsync(GPUMapMode.READ));
const [o] = readSync(src, 64); console.log('sync during async', o[3]);
await p2; console.log('async', new Float32Array(st2.getMappedRange().slice(0)));
st2.unmap();
await withHook(() => device.queue.onSubmittedWorkDone());
console.log('done');
device.destroy();
