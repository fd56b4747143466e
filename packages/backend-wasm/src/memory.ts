/**
 * The wasm heap seen from JS: allocation through the allocator in assembly/alloc.ts (which reuses freed
 * blocks), typed-array views that follow memory growth, and out-of-memory reported as
 * ResourceExhaustedError without disturbing anything already allocated.
 */
import { ResourceExhaustedError } from "@tessera/core/kernel";
import type { WasmExports } from "./exports.js";

const PAGE = 65536;

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  readonly maxBytes: number;
  private readonly exports: WasmExports;
  u8!: Uint8Array;
  i32!: Int32Array;
  u32!: Uint32Array;
  f32!: Float32Array;
  f64!: Float64Array;

  constructor(memory: WebAssembly.Memory, exports: WasmExports, maxPages: number) {
    this.memory = memory;
    this.exports = exports;
    this.maxBytes = maxPages * PAGE;
    this.refresh();
  }

  /** Re-creates the views after memory grew (growth detaches or outdates them). */
  refresh(): void {
    const buf = this.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  /** Allocates `bytes` (16-byte aligned) or throws ResourceExhaustedError naming `what`. */
  alloc(bytes: number, what: string): number {
    const ptr = bytes <= this.maxBytes ? this.exports.alloc(bytes) >>> 0 : 0;
    if (ptr === 0) {
      throw new ResourceExhaustedError(
        `OOM when allocating ${bytes} bytes for ${what} on the wasm backend: wasm memory cannot grow that far ` +
          `(${this.memory.buffer.byteLength} bytes now, at most ${this.maxBytes}; ${this.allocatedBytes()} bytes in use). ` +
          `Dispose tensors you no longer need, or use smaller ones.`,
      );
    }
    if (this.u8.byteLength !== this.memory.buffer.byteLength) this.refresh();
    return ptr;
  }

  free(ptr: number): void {
    this.exports.free(ptr);
  }

  allocatedBytes(): number {
    return this.exports.allocatedBytes() >>> 0;
  }

  /** Current size of wasm memory in bytes. */
  size(): number {
    return this.memory.buffer.byteLength;
  }
}
