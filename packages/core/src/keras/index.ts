/**
 * `tf.keras`: layers with automatic variable tracking, Sequential and subclassed models, losses,
 * optimizers, metrics, callbacks, `fit`/`evaluate`/`predict`, and saving in the TensorFlow.js
 * layers format.
 */
import "./model-io.js";

export { Layer } from "./layer.js";
export type { AddWeightOptions, CallOptions, InputSpec, LayerArgs, Shape } from "./layer.js";
export { Model } from "./model.js";
export type { CompileArgs, EvaluateArgs, FitArgs, PredictArgs } from "./model.js";
export { Sequential } from "./sequential.js";
export type { SequentialArgs } from "./sequential.js";
export type { SummaryOptions } from "./summary.js";
export type { IOHandler, ModelJSON, SaveResult, WeightsManifestGroup } from "./model-io.js";
export type { ModelArtifacts, WeightSpec } from "./serialization.js";
export { Progbar } from "./progress.js";
export type { ProgbarOptions, ProgressSink } from "./progress.js";
export { zip } from "./zip.js";

export * as activations from "./activations.js";
export * as backend from "./backend.js";
export * as callbacks from "./callbacks.js";
export * as initializers from "./initializers.js";
export * as layers from "./layers/index.js";
export * as losses from "./losses.js";
export * as metrics from "./metrics.js";
export * as models from "./models.js";
export * as optimizers from "./optimizers/index.js";
