/**
 * TF2's namespaces — `tf.math`, `tf.nn`, `tf.linalg` — derived from the op entries'
 * TF2 paths (`tf.math.floordiv` is `tf.floorDiv` under TF2's name). Every op is also at the top level.
 */
import * as ops from "./ops/index.js";
import { namespaceOf } from "./ops/table/derive.js";

/** `tf.math`: TF2's math ops under their TF2 names (`tf.math.floordiv`, `tf.math.reduceSum`, `tf.math.isNan`, …). */
export const math = namespaceOf(ops, "math");
/** `tf.nn`: network ops (`tf.nn.conv2d`, `tf.nn.relu`, `tf.nn.softmax`, …). */
export const nn = namespaceOf(ops, "nn");
/** `tf.linalg`: linear algebra (`tf.linalg.matmul`, …). */
export const linalg = namespaceOf(ops, "linalg");
