/**
 * Batched command submission. Dispatches and copies are recorded into one command encoder (one
 * compute pass for a run of dispatches) and submitted together: when a read needs the results, when
 * `maxPending` commands have piled up, or at the end of the current JavaScript task.
 *
 * Uniforms of a batch are packed into one CPU-side arena and written with a single
 * `queue.writeBuffer` just before the submit. The arena's GPU chunks are reused by the next batch:
 * the queue runs its writes and submits in order, so batch n+1's write lands after batch n ran.
 *
 * Buffers freed while a batch is being recorded may still be read by it; the pools know them as
 * pending until the submit (see buffer-pool.ts), which `onSubmit` listeners learn about.
 */
import { BufferUsage } from "./gpu-constants.js";
import type { CompiledProgram } from "./program-cache.js";
import type { UniformBuilder } from "./uniforms.js";

const CHUNK_BYTES = 64 * 1024;

interface Chunk {
  readonly buffer: GPUBuffer;
  readonly bytes: Uint8Array;
  used: number;
}

export class CommandRecorder {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private chunks: Chunk[] = [];
  private chunkIndex = 0;
  private pendingCount = 0;
  private readonly submitListeners: (() => void)[] = [];
  private flushScheduled = false;
  /** Number of submits so far (tests and benchmarks). */
  submits = 0;
  /** Number of dispatches so far. */
  dispatches = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly alignment: number,
    private readonly maxPending = 64,
  ) {}

  /** Commands recorded and not yet submitted. */
  get pending(): number {
    return this.pendingCount;
  }

  private ensureEncoder(): GPUCommandEncoder {
    if (!this.encoder) {
      this.encoder = this.device.createCommandEncoder({ label: "tessera-batch" });
      this.scheduleFlush();
    }
    return this.encoder;
  }

  /** Records one dispatch: `buffers` are the inputs then the output, bound in that order. */
  dispatch(program: CompiledProgram, buffers: readonly GPUBuffer[], uniforms: UniformBuilder, workgroups: readonly [number, number, number]): void {
    const enc = this.ensureEncoder();
    const size = uniforms.byteLength();
    const { chunk, offset } = this.reserve(size);
    uniforms.pack(new DataView(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength), offset);
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: chunk.buffer, offset, size } });
    const bindGroup = this.device.createBindGroup({ layout: program.layout, entries });
    if (!this.pass) this.pass = enc.beginComputePass();
    this.pass.setPipeline(program.pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    this.pendingCount++;
    this.dispatches++;
    if (this.pendingCount >= this.maxPending) this.flush();
  }

  /** Records a buffer-to-buffer copy (sizes and offsets multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    const enc = this.ensureEncoder();
    this.endPass();
    enc.copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
    this.pendingCount++;
  }

  /** Records zeroing a buffer range (multiples of 4). */
  clear(dst: GPUBuffer, offset: number, size: number): void {
    const enc = this.ensureEncoder();
    this.endPass();
    enc.clearBuffer(dst, offset, size);
    this.pendingCount++;
  }

  /** True while commands are recorded and not yet submitted. */
  get recording(): boolean {
    return this.encoder !== null;
  }

  /** Called after every submit. */
  onSubmit(fn: () => void): void {
    this.submitListeners.push(fn);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    const commands = this.encoder.finish();
    this.encoder = null;
    for (let i = 0; i <= this.chunkIndex && i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.used > 0) this.device.queue.writeBuffer(c.buffer, 0, c.bytes, 0, c.used);
      c.used = 0;
    }
    this.chunkIndex = 0;
    this.device.queue.submit([commands]);
    this.submits++;
    this.pendingCount = 0;
    for (const fn of this.submitListeners) fn();
  }

  /** Drops recorded work without submitting it (the device is gone). */
  abandon(): void {
    try {
      this.pass?.end();
    } catch {
      // the device is lost: nothing to end
    }
    this.pass = null;
    this.encoder = null;
    this.pendingCount = 0;
  }

  /** Bytes held by the uniform arena. */
  get arenaBytes(): number {
    return this.chunks.length * CHUNK_BYTES;
  }

  destroy(): void {
    this.abandon();
    for (const c of this.chunks) c.buffer.destroy();
    this.chunks = [];
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private reserve(size: number): { chunk: Chunk; offset: number } {
    for (;;) {
      let chunk = this.chunks[this.chunkIndex];
      if (!chunk) {
        chunk = {
          buffer: this.device.createBuffer({ size: CHUNK_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: "tessera-uniforms" }),
          bytes: new Uint8Array(CHUNK_BYTES),
          used: 0,
        };
        this.chunks.push(chunk);
      }
      const offset = Math.ceil(chunk.used / this.alignment) * this.alignment;
      if (offset + size <= CHUNK_BYTES) {
        chunk.used = offset + size;
        return { chunk, offset };
      }
      this.chunkIndex++;
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // At the end of the current task the GPU should start on what was recorded.
    setTimeout(() => {
      this.flushScheduled = false;
      this.flush();
    }, 0);
  }
}
