/** Errors raised by the WebGPU machinery itself (not by argument checks, which core does). */

/** A WebGPU failure while running an op: shader compilation, a lost device, a failed read. */
export class WebGPUError extends Error {
  override name = "WebGPUError";
  constructor(
    readonly op: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${message} [Op:${op}]`, options);
  }
}
