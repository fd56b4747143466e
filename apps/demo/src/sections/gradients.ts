/** Gradients, from TensorFlow's "Introduction to gradients and automatic differentiation" guide. */
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { show } from "../log.js";

function basics(log: Log): void {
  tf.tidy(() => {
    const x = new tf.Variable(3.0, { dtype: "float32" });
    const tape = new tf.GradientTape();
    const y = tape.record(() => x.square());
    show(log, "const x = new tf.Variable(3.0, { dtype: \"float32\" })\n> const y = tape.record(() => x.square())\n> tape.gradient(y, x)   // dy/dx = 2x", tape.gradient(y, x));
    x.dispose();
  });

  tf.tidy(() => {
    tf.random.setSeed(7);
    const w = new tf.Variable(tf.random.normal([3, 2]), { name: "w" });
    const b = new tf.Variable(tf.zeros([2]), { name: "b" });
    const x = tf.constant([[1.0, 2.0, 3.0]], "float32");
    const tape = new tf.GradientTape({ persistent: true });
    const loss = tape.record(() => tf.reduceMean(tf.square(tf.add(tf.matmul(x, w), b))));
    const { w: dw, b: db } = tape.gradient(loss, { w, b });
    show(log, "const { w: dw, b: db } = tape.gradient(loss, { w, b })   // loss = mean((x @ w + b)²)");
    log("dw shape:", JSON.stringify(dw!.shape), "db shape:", JSON.stringify(db!.shape));
    tape.dispose();
    w.dispose();
    b.dispose();
  });
}

function watchedTensors(log: Log): void {
  tf.tidy(() => {
    const x = tf.ones([2, 2]);
    const tape = new tf.GradientTape();
    const z = tape.record(() => {
      tape.watch(x);
      const y = tf.reduceSum(x);
      return tf.multiply(y, y);
    });
    show(log, "x = tf.ones([2, 2]); y = reduceSum(x); z = y * y\n> tape.gradient(z, x)   // dz/dx = 2y", tape.gradient(z, x));
  });

  tf.tidy(() => {
    const x = tf.constant(3.0, "float32");
    const tape = new tf.GradientTape({ persistent: true });
    const [y, z] = tape.record(() => {
      tape.watch(x);
      const y = x.mul(x);
      return [y, y.mul(y)];
    });
    show(log, "const tape = new tf.GradientTape({ persistent: true })   // y = x², z = y²\n> tape.gradient(z, x)   // 4x³ at x = 3", tape.gradient(z!, x));
    show(log, "tape.gradient(y, x)   // 2x", tape.gradient(y!, x));
    tape.dispose();
  });
}

function higherOrder(log: Log): void {
  tf.tidy(() => {
    const x = new tf.Variable(1.0, { dtype: "float32" });
    const outer = new tf.GradientTape();
    const dydx = outer.record(() => {
      const inner = new tf.GradientTape();
      const y = inner.record(() => x.mul(x).mul(x));
      return inner.gradient(y, x)!;
    });
    const d2ydx2 = outer.gradient(dydx, x);
    show(log, "dy/dx of y = x³ at x = 1", dydx);
    show(log, "d²y/dx² (the gradient of a gradient)", d2ydx2);
    x.dispose();
  });
}

function linearRegression(log: Log): void {
  // Fit y = 2x - 1 from six points with plain gradient descent.
  const xs = tf.constant([-1, 0, 1, 2, 3, 4], "float32");
  const ys = tf.constant([-3, -1, 1, 3, 5, 7], "float32");
  const w = new tf.Variable(0.0, { dtype: "float32" });
  const b = new tf.Variable(0.0, { dtype: "float32" });
  const lr = 0.05;
  for (let step = 0; step < 500; step++) {
    tf.tidy(() => {
      const tape = new tf.GradientTape();
      const loss = tape.record(() => tf.reduceMean(tf.square(tf.subtract(tf.add(tf.multiply(w, xs), b), ys))));
      const [dw, db] = tape.gradient(loss, [w, b]);
      w.assignSub(dw!.mul(lr));
      b.assignSub(db!.mul(lr));
    });
  }
  show(log, "500 steps of gradient descent on y = w·x + b, data from y = 2x − 1");
  log(`w = ${(w.numpy() as number).toFixed(4)}, b = ${(b.numpy() as number).toFixed(4)}`);
  tf.dispose([xs, ys, w, b]);
}

export const gradients: Section = {
  title: "Gradients: GradientTape",
  run(log) {
    basics(log);
    watchedTensors(log);
    higherOrder(log);
    linearRegression(log);
  },
};
