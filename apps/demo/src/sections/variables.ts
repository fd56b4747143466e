/** Variables, from TensorFlow's "Introduction to Variables" guide, with the two classic pitfalls. */
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { show, showError } from "../log.js";

function run(log: Log): void {
  const made: tf.Variable[] = [];
  const keep = <V extends tf.Variable>(v: V): V => (made.push(v), v);
  try {
    tf.tidy(() => {
      show(log, "new tf.Variable([1, 2])", keep(new tf.Variable([1, 2])));

      const myTensor = tf.constant([[1.0, 2.0], [3.0, 4.0]], "float32");
      const myVariable = keep(new tf.Variable(myTensor));
      keep(new tf.Variable([false, false, false, true]));
      keep(new tf.Variable([{ re: 5, im: 4 }, { re: 6, im: 1 }]));
      log("Shape: ", new tf.TensorShape(myVariable.shape).toString());
      log("DType: ", myVariable.dtype);
      log("As nested arrays: ", JSON.stringify(myVariable.numpy()));
      log("A variable:", myVariable);
      log("\nViewed as a tensor:", myVariable.readValue());
      log("\nIndex of highest value:", tf.argmax(myVariable, 0));
      log("\nCopying and reshaping: ", tf.reshape(myVariable, [1, 4]));

      log("\n// Pitfall 1: the second argument is an options object, not a dtype");
      // @ts-expect-error -- TensorFlow's positional dtype is a TypeScript error, and throws at run time.
      showError(log, "new tf.Variable([1, 2], tf.float32)", () => keep(new tf.Variable([1, 2], tf.float32)));
      show(log, 'new tf.Variable([1, 2], { dtype: "float32" })', keep(new tf.Variable([1, 2], { dtype: "float32" })));

      log("\n// Pitfall 2: an explicit shape must match the value");
      showError(log, "new tf.Variable([1, 2, 3, 4], { shape: [2, 2] })", () => keep(new tf.Variable([1, 2, 3, 4], { shape: [2, 2] })));
      show(log, "new tf.Variable(tf.reshape([1, 2, 3, 4], [2, 2]))", keep(new tf.Variable(tf.reshape([1, 2, 3, 4], [2, 2]))));

      log("\n// assign keeps the dtype and the shape");
      const a = keep(new tf.Variable([2.0, 3.0], { dtype: "float32" }));
      show(log, "a.assign([1, 2])", a.assign([1, 2]));
      showError(log, "a.assign([1.0, 2.0, 3.0])", () => a.assign([1.0, 2.0, 3.0]));
      const b = keep(new tf.Variable(a));
      a.assign([5, 6]);
      log("// b = new tf.Variable(a) copies: after a.assign([5, 6]) they differ");
      show(log, "a", a);
      show(log, "b", b);
      show(log, "a.assignAdd([2, 3])", a.assignAdd([2, 3]));
      show(log, "a.assignSub([7, 9])", a.assignSub([7, 9]));

      log("\n// Names and trainability");
      const named = keep(new tf.Variable(1.5, { name: "my_var", trainable: false }));
      show(log, 'const v = new tf.Variable(1.5, { name: "my_var", trainable: false })', named);
      show(log, "v.name, v.trainable", named.name, named.trainable);

      log("\n// An unknown shape lets assign change it");
      const u = keep(new tf.Variable([1, 2], { shape: null }));
      show(log, "const u = new tf.Variable([1, 2], { shape: null })", u);
      show(log, "u.assign([[1, 2, 3], [4, 5, 6]])", u.assign([[1, 2, 3], [4, 5, 6]]));
      const partial = keep(new tf.Variable([[1, 2]], { shape: [null, 2] }));
      show(log, "const p = new tf.Variable([[1, 2]], { shape: [null, 2] })", partial);
      show(log, "p.assign([[1, 2], [3, 4], [5, 6]]).shape", JSON.stringify(partial.assign([[1, 2], [3, 4], [5, 6]]).shape));
      showError(log, "p.assign([[1, 2, 3]])", () => partial.assign([[1, 2, 3]]));
    });
  } finally {
    for (const v of made) v.dispose();
  }
}

export const variables: Section = { title: "Variables", run };
