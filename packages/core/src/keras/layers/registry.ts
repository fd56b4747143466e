/** The layer classes of this folder that configs can name, made by their `fromConfig`, by Keras class name. */
import type { Layer } from "../layer.js";
import { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from "./activation-layers.js";
import { Activation, Embedding, Lambda, Masking } from "./core.js";
import { ActivityRegularization } from "./activity-regularization.js";
import { CategoryEncoding, Discretization } from "./preprocessing-encoding.js";
import { CenterCrop, Rescaling, Resizing } from "./preprocessing-image.js";
import { Normalization } from "./preprocessing-normalization.js";
import { IntegerLookup, StringLookup } from "./preprocessing-lookup.js";
import { Conv1D, Conv1DTranspose, Conv2DTranspose, DepthwiseConv2D, SeparableConv1D, SeparableConv2D } from "./conv-variants.js";
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from "./merging.js";
import { BatchNormalization, GroupNormalization, LayerNormalization, UnitNormalization } from "./normalization.js";
import { GRU, LSTM, RNN, SimpleRNN, StackedRNNCells } from "./recurrent.js";
import { Bidirectional, TimeDistributed } from "./wrappers.js";
import { AdditiveAttention, Attention, MultiHeadAttention } from "./attention.js";
import { GRUCell, LSTMCell, SimpleRNNCell } from "./recurrent-cells.js";
import { AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from "./noise.js";
import {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  GlobalMaxPooling3D, MaxPooling1D, MaxPooling2D,
} from "./pooling.js";
import {
  Cropping1D, Cropping2D, Cropping3D, Permute, RepeatVector, Reshape, UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D,
} from "./reshaping.js";

type LayerClass = { readonly className: string; fromConfig(config: Record<string, unknown>): Layer };

const CLASSES: readonly LayerClass[] = [
  Activation, Masking, Lambda, Embedding, ActivityRegularization,
  Conv1D, Conv1DTranspose, Conv2DTranspose, DepthwiseConv2D, SeparableConv1D, SeparableConv2D,
  Reshape, Permute, RepeatVector, Cropping1D, Cropping2D, Cropping3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D, UpSampling1D, UpSampling2D, UpSampling3D,
  MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D,
  GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
  LeakyReLU, PReLU, ELU, ReLU, Softmax, ThresholdedReLU,
  GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
  Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot,
  BatchNormalization, LayerNormalization, UnitNormalization, GroupNormalization,
  RNN, SimpleRNN, LSTM, GRU, SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells, TimeDistributed, Bidirectional,
  Attention, AdditiveAttention, MultiHeadAttention,
  Rescaling, Resizing, CenterCrop, CategoryEncoding, Discretization, Normalization, StringLookup, IntegerLookup,
];

/** Keras's other names for some classes, which configs may use. */
const ALIASES: Record<string, LayerClass> = {
  MaxPool1D: MaxPooling1D, MaxPool2D: MaxPooling2D, AvgPool1D: AveragePooling1D, AvgPool2D: AveragePooling2D,
  GlobalMaxPool1D: GlobalMaxPooling1D, GlobalMaxPool2D: GlobalMaxPooling2D, GlobalMaxPool3D: GlobalMaxPooling3D,
  Convolution1D: Conv1D, Convolution2DTranspose: Conv2DTranspose, Convolution1DTranspose: Conv1DTranspose,
  SeparableConvolution1D: SeparableConv1D, SeparableConvolution2D: SeparableConv2D,
  GlobalAvgPool1D: GlobalAveragePooling1D, GlobalAvgPool2D: GlobalAveragePooling2D, GlobalAvgPool3D: GlobalAveragePooling3D,
};

/** Config factories by Keras class name (aliases included). */
export const LAYER_CLASSES_EXTRA: Record<string, (config: Record<string, unknown>) => Layer> = Object.fromEntries(
  [...CLASSES.map((c) => [c.className, c] as const), ...Object.entries(ALIASES)].map(([name, cls]) => [name, (config: Record<string, unknown>) => cls.fromConfig(config)]),
);
