/** Broadcasting, from TensorFlow's "Introduction to Tensors": NumPy's rules. */
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { show, showError } from "../log.js";

function run(log: Log): void {
  tf.tidy(() => {
    const x = tf.constant([1, 2, 3]);
    const y = tf.constant(2);
    const z = tf.constant([2, 2, 2]);
    log("// All of these are the same computation");
    show(log, "tf.multiply(x, 2)", tf.multiply(x, 2));
    show(log, "x.mul(y)", x.mul(y));
    show(log, "x.mul(z)", x.mul(z));

    const col = tf.reshape(x, [3, 1]);
    const row = tf.range(1, 5);
    show(log, "const col = tf.reshape(x, [3, 1])", col);
    show(log, "const row = tf.range(1, 5)", row);
    show(log, "tf.multiply(col, row)", tf.multiply(col, row));
    show(log, "tf.broadcastTo(tf.constant([1, 2, 3]), [3, 3])", tf.broadcastTo(tf.constant([1, 2, 3]), [3, 3]));
    showError(log, "tf.add([1, 2], [1, 2, 3])", () => tf.add([1, 2], [1, 2, 3]));
    showError(log, "tf.add(tf.constant([1, 2]), tf.constant([1.5, 2.5]))", () => tf.add(tf.constant([1, 2]), tf.constant([1.5, 2.5])));
    show(log, "tf.add(tf.constant([1.5, 2.5]), 1)   // a JS number takes the tensor's dtype", tf.add(tf.constant([1.5, 2.5]), 1));
  });
}

export const broadcasting: Section = { title: "Broadcasting", run };
