/**
 * `tf.keras`: layers with automatic variable tracking, functional, Sequential and subclassed models,
 * losses, optimizers, metrics, callbacks, `fit`/`evaluate`/`predict`, and saving in the
 * TensorFlow.js layers format.
 */
import "./model-io.js";
import "./graph-config.js";

export { Layer } from "./layer.js";
export type {
  AddWeightOptions, ApplyInputs, ApplyOptions, CallOptions, InputSpec, LayerArgs, LayerInputs, LayerOutputs, Mask, OutputsOf, Shape, SymbolicInputs, SymbolicOf,
} from "./layer.js";
export { Input } from "./layers/input-layer.js";
export type { InputArgs } from "./layers/input-layer.js";
export { KerasTensor } from "./keras-tensor.js";
export type { KerasHistory, TensorSpec } from "./keras-tensor.js";
export { Node } from "./node.js";
export type { Nested } from "./nest.js";
export { Model } from "./model.js";
export type { CompileArgs, EagerOf, EvaluateArgs, FitArgs, ModelArgs, PredictArgs, SaveOptions, SymbolicOutputs } from "./model.js";
export type { ClassWeight } from "./sample-weights.js";
export type { LossSpec, LossWeightsSpec, MetricsSpec } from "./compile-utils.js";
export type { Data } from "./data-adapter.js";
export { Sequential } from "./sequential.js";
export type { SequentialArgs } from "./sequential.js";
export type { SummaryOptions } from "./summary.js";
export type { IOHandler, ModelJSON, SaveResult, WeightsManifestGroup } from "./model-io.js";
export type { LoadOptions, ModelArtifacts, WeightSpec } from "./serialization.js";
export { Progbar } from "./progress.js";
export type { ProgbarOptions, ProgressSink } from "./progress.js";
export { zip } from "./zip.js";

export * as activations from "./activations.js";
export * as backend from "./backend.js";
export * as callbacks from "./callbacks-index.js";
export * as initializers from "./initializers.js";
export * as regularizers from "./regularizers.js";
export * as constraints from "./constraints.js";
export * as layers from "./layers/index.js";
export * as losses from "./losses-index.js";
export * as metrics from "./metrics-index.js";
export * as models from "./models.js";
export * as optimizers from "./optimizers/index.js";
export * as utils from "./utils-index.js";
