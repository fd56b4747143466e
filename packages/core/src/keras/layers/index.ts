/** `tf.keras.layers`. */
export { Layer } from "../layer.js";
export type { ActivityRegularizerArgs, AddWeightOptions, CallOptions, InputSpec, LayerArgs, Shape } from "../layer.js";
export { ActivityRegularization } from "./activity-regularization.js";
export type { ActivityRegularizationArgs } from "./activity-regularization.js";
export type { WeightRule, WeightRuleArgs } from "./weight-config.js";
export { CenterCrop, Rescaling, Resizing } from "./preprocessing-image.js";
export type { RescalingArgs, ResizingArgs } from "./preprocessing-image.js";
export { CategoryEncoding, Discretization } from "./preprocessing-encoding.js";
export type { AdaptOptions, CategoryEncodingArgs, CategoryEncodingCallOptions, CategoryOutputMode, DiscretizationArgs } from "./preprocessing-encoding.js";
export { Normalization } from "./preprocessing-normalization.js";
export type { NormalizationLayerArgs } from "./preprocessing-normalization.js";
export { IntegerLookup, StringLookup } from "./preprocessing-lookup.js";
export type { IndexLookupArgs, IntegerLookupArgs, StringLookupArgs } from "./preprocessing-lookup.js";
export { Input } from "./input-layer.js";
export type { InputArgs, InputLayerArgs } from "./input-layer.js";
export { Conv2D } from "./conv2d.js";
export type { Conv2DArgs } from "./conv2d.js";
export type { PaddingMode, Size2D } from "./conv-utils.js";
export { Conv1D, Conv1DTranspose, Conv2DTranspose, DepthwiseConv2D, SeparableConv1D, SeparableConv2D } from "./conv-variants.js";
export type { BaseConvArgs, ConvArgs, ConvSize, ConvTransposeArgs, DepthwiseConv2DArgs, SeparableConvArgs } from "./conv-variants.js";
export { Dense } from "./dense.js";
export type { DenseArgs } from "./dense.js";
export { Dropout } from "./dropout.js";
export type { DropoutArgs } from "./dropout.js";
export { Flatten } from "./flatten.js";
export type { FlattenArgs } from "./flatten.js";
export { InputLayer } from "./input-layer.js";
export { Activation, Embedding, Lambda, Masking } from "./core.js";
export type { EmbeddingArgs, LambdaArgs, LambdaFunction, MaskingArgs } from "./core.js";
export {
  Cropping1D, Cropping2D, Cropping3D, Permute, RepeatVector, Reshape, UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D,
} from "./reshaping.js";
export type { CroppingArgs, UpSampling2DArgs, UpSamplingArgs, ZeroPaddingArgs } from "./reshaping.js";
export {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  GlobalMaxPooling3D, MaxPooling1D, MaxPooling2D,
} from "./pooling.js";
export type { GlobalPoolingArgs, PoolingArgs, PoolingArgs as MaxPooling2DArgs } from "./pooling.js";
export { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from "./activation-layers.js";
export type { ELUArgs, LeakyReLUArgs, PReLUArgs, ReLUArgs, SoftmaxArgs, ThresholdedReLUArgs } from "./activation-layers.js";
export { AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from "./noise.js";
export type { AlphaDropoutArgs, NoiseArgs, SpatialDropoutArgs } from "./noise.js";
export { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from "./merging.js";
export type { ConcatenateArgs, DotArgs } from "./merging.js";
export { BatchNormalization, GroupNormalization, LayerNormalization, UnitNormalization } from "./normalization.js";
export type { BatchNormalizationArgs, GroupNormalizationArgs, LayerNormalizationArgs, NormalizationArgs, UnitNormalizationArgs } from "./normalization.js";
export { GRU, LSTM, RNN, SimpleRNN, StackedRNNCells } from "./recurrent.js";
export type { GRUArgs, LSTMArgs, RNNArgs, RNNCallOptions, RNNLayerArgs, SimpleRNNArgs } from "./recurrent.js";
export { GRUCell, LSTMCell, RNNCell, SimpleRNNCell } from "./recurrent-cells.js";
export type { GRUCellArgs, GatedCellArgs, LSTMCellArgs, RNNCellArgs } from "./recurrent-cells.js";
export { Bidirectional, TimeDistributed } from "./wrappers.js";
export type { BidirectionalArgs, MergeMode, TimeDistributedArgs } from "./wrappers.js";
export { AdditiveAttention, Attention, MultiHeadAttention } from "./attention.js";
export type { AdditiveAttentionArgs, AttentionArgs, AttentionCallOptions, BaseAttentionArgs, MultiHeadAttentionArgs, MultiHeadAttentionCallOptions } from "./attention.js";
export type { DataFormat } from "./conv-utils.js";
export {
  AveragePooling1D as AvgPool1D, AveragePooling2D as AvgPool2D, GlobalAveragePooling1D as GlobalAvgPool1D, GlobalAveragePooling2D as GlobalAvgPool2D,
  GlobalAveragePooling3D as GlobalAvgPool3D, GlobalMaxPooling1D as GlobalMaxPool1D, GlobalMaxPooling2D as GlobalMaxPool2D, GlobalMaxPooling3D as GlobalMaxPool3D,
  MaxPooling1D as MaxPool1D, MaxPooling2D as MaxPool2D,
} from "./pooling.js";
