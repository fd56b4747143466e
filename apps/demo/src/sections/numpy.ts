/**
 * NumPy interop: ndarray-likes go into every op, `.numpy()` comes back as plain arrays, and `.npy`
 * files carry tensors to and from NumPy itself.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { show } from "../log.js";

async function run(log: Log): Promise<void> {
  // What the `ndarray` package (or any { data, shape } object) holds: np.ones([3, 3]).
  const ndarray = { data: new Float64Array(9).fill(1), shape: [3, 3] };
  log("TensorFlow operations convert numpy arrays to Tensors automatically");
  const tensor = tf.multiply(ndarray, 3);
  show(log, "const tensor = tf.multiply({ data: new Float64Array(9).fill(1), shape: [3, 3] }, 3)", tensor);

  log("The .numpy() method explicitly converts a Tensor to (nested) JS arrays");
  show(log, "tensor.numpy()", JSON.stringify(tensor.numpy()));
  const four = tf.constant(4);
  show(log, "tf.constant(4).numpy()", four.numpy());
  four.dispose();

  log("\n// .npy bytes, exactly what np.save writes");
  const bytes = tf.io.encodeNpy(tensor);
  const headerLength = bytes[8]! | (bytes[9]! << 8);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength)).trimEnd();
  show(log, "tf.io.encodeNpy(tensor)", `Uint8Array(${bytes.length}) with header ${header}`);
  const back = tf.io.decodeNpy(bytes);
  show(log, "tf.io.decodeNpy(bytes)", back);
  back.dispose();

  const path = join(mkdtempSync(join(tmpdir(), "tessera-demo-")), "tensor.npy");
  await tf.io.saveNpy(path, tensor);
  log(`> await tf.io.saveNpy(path, tensor)   // in Python: np.load("${path}")`);
  const loaded = await tf.io.loadNpy(path);
  show(log, "await tf.io.loadNpy(path)", loaded);
  loaded.dispose();
  tensor.dispose();
}

export const numpy: Section = { title: "NumPy compatibility", run };
