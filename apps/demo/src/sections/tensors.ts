/**
 * Tensors and operations: TensorFlow's "Customization basics: tensors and operations" and
 * "Introduction to Tensors" guides, statement by statement.
 */
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { show } from "../log.js";

function run(log: Log): void {
  tf.tidy(() => {
    show(log, "tf.add(1, 2)", tf.add(1, 2));
    show(log, "tf.add([1, 2], [3, 4])", tf.add([1, 2], [3, 4]));
    show(log, "tf.square(5)", tf.square(5));
    show(log, "tf.reduceSum([1, 2, 3])", tf.reduceSum([1, 2, 3]));
    log("// Operator overloading is not available in TypeScript; methods chain instead of tf.square(2) + tf.square(3):");
    show(log, "tf.square(2).add(tf.square(3))", tf.square(2).add(tf.square(3)));

    const x = tf.matmul([[1]], [[2, 3]]);
    show(log, "const x = tf.matmul([[1]], [[2, 3]])", x);
    show(log, "new tf.TensorShape(x.shape).toString()", new tf.TensorShape(x.shape).toString());
    show(log, "x.dtype", x.dtype);

    log("\n// Ranks: a scalar, a vector, a matrix");
    show(log, "tf.constant(4)", tf.constant(4));
    log("// JS has no 2.0 distinct from 2: whole numbers are int32 unless a dtype says otherwise");
    show(log, "tf.constant([2.0, 3.0, 4.0])", tf.constant([2.0, 3.0, 4.0]));
    show(log, 'tf.constant([2.0, 3.0, 4.0], "float32")', tf.constant([2.0, 3.0, 4.0], "float32"));
    show(log, 'tf.constant([[1, 2], [3, 4], [5, 6]], "float32")', tf.constant([[1, 2], [3, 4], [5, 6]], "float32"));

    log("\n// Basic math");
    const a = tf.constant([[1, 2], [3, 4]]);
    const b = tf.constant([[1, 1], [1, 1]]);
    show(log, "tf.add(a, b)", tf.add(a, b));
    show(log, "tf.multiply(a, b)", tf.multiply(a, b));
    show(log, "tf.matmul(a, b)", tf.matmul(a, b));
    const c = tf.constant([[4.0, 5.0], [10.0, 1.0]], "float32");
    show(log, 'const c = tf.constant([[4.0, 5.0], [10.0, 1.0]], "float32")', c);
    show(log, "tf.reduceMax(c)", tf.reduceMax(c));
    log("// argmax gives int32 indices (TensorFlow: int64; Tessera has no int64)");
    show(log, "tf.argmax(c, 0)", tf.argmax(c, 0));
    show(log, "tf.nn.softmax(c)", tf.nn.softmax(c));

    log("\n// Shapes and dtypes");
    const rank4 = tf.zeros([3, 2, 4, 5]);
    log("Type of every element:", rank4.dtype);
    log("Number of axes:", rank4.rank);
    log("Shape of tensor:", new tf.TensorShape(rank4.shape).toString());
    log("Elements along axis 0 of tensor:", rank4.shape[0]);
    log("Elements along the last axis of tensor:", rank4.shape[rank4.rank - 1]);
    log("Total number of elements (3*2*4*5): ", rank4.size);
    const f64 = tf.constant([2.2, 3.3, 4.4], "float64");
    show(log, 'tf.constant([2.2, 3.3, 4.4], "float64")', f64);
    show(log, 'tf.cast(tf.cast(f64, "float32"), "int32")', tf.cast(tf.cast(f64, "float32"), "int32"));
    show(log, 'tf.constant(-1.0, { shape: [2, 3], dtype: "float32" })', tf.constant(-1.0, { shape: [2, 3], dtype: "float32" }));
    show(log, "tf.constant([1, 2, 3, 4, 5, 6], { shape: [2, 3] })", tf.constant([1, 2, 3, 4, 5, 6], { shape: [2, 3] }));
    show(log, "tf.constant({ re: 1, im: -2 })", tf.constant({ re: 1, im: -2 }));
    show(log, 'tf.constant([true, false]).dtype, tf.constant("hi").dtype', tf.constant([true, false]).dtype, tf.constant("hi").dtype);
  });
}

export const tensors: Section = { title: "Tensors and operations", run };
