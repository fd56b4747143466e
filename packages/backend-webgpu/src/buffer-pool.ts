/**
 * GPU buffers recycled by size class. Tensor buffers come and go at a high rate (every op makes one,
 * `tidy` frees them); creating a WebGPU buffer is far dearer than reusing one, so a freed buffer goes
 * back to a free list of its size class and the next request of that class takes it.
 *
 * Size classes are 256 bytes, then 3·2^k and 4·2^k (at most a third wasted). Free buffers beyond
 * `maxFreeBytes` are destroyed, largest first.
 *
 * A buffer freed while commands are being recorded may still be read by them. It is "pending"
 * until the batch is submitted (`settle`): a kernel may take it at once as its output (its writes
 * are recorded after those reads, and WebGPU orders commands), but an upload may not, because
 * `queue.writeBuffer` runs before the not-yet-submitted batch.
 */

/** The size class that a request of `bytes` is served from. */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const pow = 2 ** Math.ceil(Math.log2(bytes));
  const threeQuarters = (pow / 4) * 3;
  return bytes <= threeQuarters ? threeQuarters : pow;
}

/** The largest size class that is at most `bytes` (the largest request a pool limited to `bytes` serves). */
export function largestSizeClass(bytes: number): number {
  if (bytes < 256) return 0;
  const pow = 2 ** Math.floor(Math.log2(bytes));
  return (pow / 2) * 3 <= bytes && pow >= 256 ? (pow / 2) * 3 : pow;
}

export interface PoolStats {
  /** Bytes of every buffer the pool created and has not destroyed (in use or free). */
  readonly bytesAllocated: number;
  /** Bytes of the free buffers waiting for reuse. */
  readonly bytesFree: number;
  readonly numBuffers: number;
  readonly numFree: number;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly pending = new Map<number, GPUBuffer[]>();
  private bytesAllocated = 0;
  private bytesFree = 0;
  private numBuffers = 0;
  private numFree = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly label: string,
    private readonly maxFreeBytes: number,
  ) {}

  /**
   * A buffer of at least `bytes` (its `size` is the size class). `forUpload`: it will be filled with
   * `queue.writeBuffer`, so it must not be one that unsubmitted commands still use.
   */
  acquire(bytes: number, forUpload = false): GPUBuffer {
    const size = sizeClass(bytes);
    const reused = (forUpload ? undefined : this.pending.get(size)?.pop()) ?? this.free.get(size)?.pop();
    if (reused) {
      this.bytesFree -= size;
      this.numFree--;
      return reused;
    }
    const buffer = this.device.createBuffer({ size, usage: this.usage, label: this.label });
    this.bytesAllocated += size;
    this.numBuffers++;
    return buffer;
  }

  /** Returns a buffer; `pending`: commands recorded but not yet submitted may still use it. */
  release(buffer: GPUBuffer, pending = false): void {
    const size = buffer.size;
    const lists = pending ? this.pending : this.free;
    let list = lists.get(size);
    if (!list) lists.set(size, (list = []));
    list.push(buffer);
    this.bytesFree += size;
    this.numFree++;
    if (!pending && this.bytesFree > this.maxFreeBytes) this.trim(this.maxFreeBytes);
  }

  /** The recorded commands were submitted: pending buffers become ordinary free ones. */
  settle(): void {
    for (const [size, list] of this.pending) {
      let free = this.free.get(size);
      if (!free) this.free.set(size, (free = []));
      free.push(...list);
    }
    this.pending.clear();
    if (this.bytesFree > this.maxFreeBytes) this.trim(this.maxFreeBytes);
  }

  /** Destroys a buffer that must not be reused (e.g. one whose creation failed). */
  discard(buffer: GPUBuffer): void {
    this.bytesAllocated -= buffer.size;
    this.numBuffers--;
    buffer.destroy();
  }

  /** Destroys free (not pending) buffers, largest first, until at most `keepBytes` are free. */
  trim(keepBytes = 0): void {
    const sizes = [...this.free.keys()].sort((a, b) => b - a);
    for (const size of sizes) {
      const list = this.free.get(size)!;
      while (list.length > 0 && this.bytesFree > keepBytes) {
        list.pop()!.destroy();
        this.bytesFree -= size;
        this.bytesAllocated -= size;
        this.numFree--;
        this.numBuffers--;
      }
      if (list.length === 0) this.free.delete(size);
    }
  }

  stats(): PoolStats {
    return { bytesAllocated: this.bytesAllocated, bytesFree: this.bytesFree, numBuffers: this.numBuffers, numFree: this.numFree };
  }

  /** Destroys the free buffers and forgets the rest (their owner destroys them, or the device goes). */
  destroyAll(): void {
    this.settle();
    this.trim(0);
    this.free.clear();
    this.bytesAllocated = 0;
    this.numBuffers = 0;
  }
}
