/** `tf.keras.models`: model classes and loading/saving. */
export { Model } from "./model.js";
export { Sequential } from "./sequential.js";
export { loadModel, saveModel } from "./model-io.js";
export { layerFromConfig, modelFromArtifacts, modelFromTopology, modelToArtifacts } from "./serialization.js";
