/** `tf.keras.layers.InputLayer`: declares a model's input shape (found first in saved Sequential configs). */
import { ValueError } from "../../errors.js";
import { identity } from "../../ops/identity.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";

/** `new InputLayer({ inputShape: [784] })`: passes inputs through; a Sequential takes its shape. */
export class InputLayer extends Layer {
  static override className = "InputLayer";
  static override argKeys = LAYER_ARG_KEYS;

  constructor(args: LayerArgs = {}) {
    super(args);
    if (!this.batchInputShape) throw new ValueError(`InputLayer "${this.name}" needs \`inputShape\` or \`batchInputShape\``);
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return identity(inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { batch_input_shape: this.batchInputShape!.slice(), dtype: this.dtype, sparse: false, ragged: false, name: this.name };
  }
}
