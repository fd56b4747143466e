/** `tf.keras.backend`: session-wide Keras state. */
import { resetNames } from "./naming.js";
import { EPSILON } from "./losses.js";

/** Forgets generated layer names, so the next Dense is `dense` again (Keras's `clear_session`). */
export function clearSession(): void {
  resetNames();
}

/** The fuzz factor used by losses (1e-7). */
export function epsilon(): number {
  return EPSILON;
}
