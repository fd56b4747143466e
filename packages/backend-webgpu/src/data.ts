/** The backend's handle on one tensor buffer (the `DataId` core holds). */
import type { DType } from "@tessera/core/kernel";
import type { LazyExpr } from "./fusion.js";
import { elementBytes } from "./wgsl.js";

export class GpuData {
  /** The storage buffer (a pooled size class, so possibly larger than needed); null while lazy or for strings. */
  buffer: GPUBuffer | null = null;
  /** A pending fused elementwise expression that will fill `buffer` when someone needs it. */
  lazy: LazyExpr | null = null;
  /** String tensors stay on the host. */
  strings: string[] | null = null;
  /** Holders: core's handle (1) plus every pending expression that reads this buffer. */
  refs = 1;

  constructor(
    readonly dtype: DType,
    /** Elements. */
    readonly size: number,
    /** The shape it was made with (core may view it with another shape of the same size). */
    readonly shape: readonly number[],
  ) {}

  /** Bytes of its contents on the GPU (4 per element, 8 for complex64). */
  get byteLength(): number {
    return this.size * elementBytes(this.dtype);
  }
}
