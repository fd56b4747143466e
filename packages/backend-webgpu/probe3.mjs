import { create, globals } from 'webgpu';
const gpu = create([]);
globalThis.__gpu = gpu;
const adapter = await gpu.requestAdapter();
const device = await adapter.requestDevice();
device.addEventListener('uncapturederror', (e) => console.log('UNCAPTURED', e.error.constructor.name, e.error.message.slice(0, 300)));
device.lost.then((i) => console.log('LOST', i.reason, i.message));
console.log('before bad shader');
const m = device.createShaderModule({ code: 'fn main( { }' });
console.log('after createShaderModule');
try { const p = device.createComputePipeline({ layout: 'auto', compute: { module: m, entryPoint: 'main' } }); console.log('pipeline', p); } catch (e) { console.log('threw', e.message); }
console.log('after pipeline');
try { device.createBuffer({ size: 2 ** 33, usage: 128 }); } catch (e) { console.log('threw', e.message); }
console.log('after big buffer');
try { const b = device.createBuffer({ size: 2 ** 31, usage: 128 }); console.log('3GB ok', b.size);} catch (e) { console.log('threw', e.message); }
console.log('after 2GB buffer');
await new Promise(r => setTimeout(r, 100));
device.destroy();
await new Promise(r => setTimeout(r, 100));
console.log('end');
