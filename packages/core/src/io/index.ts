/**
 * `tf.io`: NumPy `.npy` files (npy.ts), PNG/JPEG decoding and PNG encoding (image-codecs.ts), and
 * TensorFlow.js's model IO handlers and model management for browsers (IndexedDB, HTTP, user-picked
 * files, localStorage/IndexedDB listings).
 */
export { decodeNpy, encodeNpy, encodeNpyAsync, loadNpy, saveNpy } from "./npy.js";
export { decodeImage, decodeJpeg, decodePng, encodePng, encodePngAsync } from "./image-codecs.js";
export type { DecodeImageOptions, EncodePngOptions } from "./image-codecs.js";
export { browserIndexedDB } from "./indexeddb.js";
export type { ModelArtifactsInfo } from "./indexeddb.js";
export { browserHTTPRequest, http } from "./http.js";
export type { FetchFunction, FetchResponse, HTTPOptions, HTTPSaveResult } from "./http.js";
export { browserFiles } from "./browser-files.js";
export type { FileLike } from "./browser-files.js";
export { copyModel, listModels, moveModel, removeModel } from "./model-management.js";
export { downloadsHandler as browserDownloads, localStorageHandler as browserLocalStorage } from "../keras/model-io.js";
