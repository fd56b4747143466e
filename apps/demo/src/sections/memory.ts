/**
 * Memory: Python frees tensors when their last reference goes; JavaScript's garbage collector runs
 * late, so Tessera also offers `dispose()` and `tf.tidy`, and `tf.memory()` counts exactly.
 */
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { show } from "../log.js";

function run(log: Log): void {
  const start = tf.memory().numTensors;
  const live = () => tf.memory().numTensors - start;

  const t = tf.ones([1000, 1000]);
  show(log, "const t = tf.ones([1000, 1000])", `${live()} new tensor, ${tf.memory().numBytes} bytes in use`);
  t.dispose();
  show(log, "t.dispose()", `${live()} new tensors`);

  const y = tf.tidy(() => {
    const x = tf.ones([10, 10]);
    const xx = tf.matmul(x, x);
    return xx.reduceSum();
  });
  show(log, "const y = tf.tidy(() => tf.matmul(x, x).reduceSum())   // x and x·x are freed", `${live()} new tensor: ${y.toString()}`);
  y.dispose();

  const v = new tf.Variable(0, { dtype: "float32" });
  for (let step = 0; step < 1000; step++) {
    tf.tidy(() => {
      v.assign(v.add(tf.square(0.5)));
    });
  }
  show(log, "for 1000 steps: tf.tidy(() => v.assign(v.add(tf.square(0.5))))", `${live()} new tensor (the variable): ${v.toString()}`);
  v.dispose();

  const leaked: tf.Tensor[] = [];
  for (let i = 0; i < 10; i++) leaked.push(tf.square(i));
  show(log, "10 × tf.square(i) outside tidy", `${live()} new tensors until disposed`);
  tf.dispose(leaked);
  show(log, "tf.dispose(tensors)", `${live()} new tensors`);
  log("// Tensors that become unreachable are also freed by the garbage collector, whenever it runs.");
}

export const memory: Section = { title: "Memory: dispose and tidy", run };
