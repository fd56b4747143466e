/** `tf.keras.layers`. */
export { Layer } from "../layer.js";
export type { AddWeightOptions, CallOptions, InputSpec, LayerArgs, Shape } from "../layer.js";
export { Input } from "./input-layer.js";
export type { InputArgs, InputLayerArgs } from "./input-layer.js";
export { Conv2D } from "./conv2d.js";
export type { Conv2DArgs } from "./conv2d.js";
export type { PaddingMode, Size2D } from "./conv-utils.js";
export { Dense } from "./dense.js";
export type { DenseArgs } from "./dense.js";
export { Dropout } from "./dropout.js";
export type { DropoutArgs } from "./dropout.js";
export { Flatten } from "./flatten.js";
export type { FlattenArgs } from "./flatten.js";
export { InputLayer } from "./input-layer.js";
export { MaxPooling2D } from "./max-pooling2d.js";
export type { MaxPooling2DArgs } from "./max-pooling2d.js";
