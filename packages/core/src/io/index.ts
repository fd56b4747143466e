/** `tf.io`: NumPy `.npy` files (npy.ts). Keras adds model saving and loading in its own files. */
export { decodeNpy, encodeNpy, encodeNpyAsync, loadNpy, saveNpy } from "./npy.js";
