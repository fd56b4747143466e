/** `tf.nn.depthToSpace` and `tf.nn.spaceToDepth` (NHWC), written as reshape + transpose. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkInt, composite } from "./composite-utils.js";
import { reshape } from "./reshape.js";
import { transpose } from "./transpose.js";
import { defineOp } from "./table/define.js";

function nhwc(op: string, t: Tensor): [number, number, number, number] {
  if (t.rank !== 4) throw new InvalidArgumentError(opMessage(op, `input must be 4-dimensional (NHWC), got shape [${t.shape.join(",")}]`));
  return t.shape as [number, number, number, number];
}

/**
 * Moves blocks of depth into space (TensorFlow's `tf.nn.depth_to_space`, NHWC): `[N, H, W, C]` →
 * `[N, H·b, W·b, C / b²]`, the channel index splitting as (row in block, column in block, channel).
 * Any dtype.
 */
export const depthToSpace = defineOp("depthToSpace", function depthToSpace(input: TensorLike, blockSize: number): Tensor {
  return composite([input], "DepthToSpace", ([t]) => {
    const [n, h, w, c] = nhwc("DepthToSpace", t!);
    const b = checkInt("DepthToSpace", "blockSize", blockSize, 2);
    if (c % (b * b) !== 0) throw new InvalidArgumentError(opMessage("DepthToSpace", `input depth ${c} must be divisible by blockSize² (${b * b})`));
    const d = c / (b * b);
    const x = reshape(t!, [n, h, w, b, b, d]);
    return reshape(transpose(x, [0, 1, 3, 2, 4, 5]), [n, h * b, w * b, d]);
  });
}, { paths: ["nn.depthToSpace"] });

/**
 * Moves blocks of space into depth (TensorFlow's `tf.nn.space_to_depth`, NHWC): `[N, H, W, C]` →
 * `[N, H / b, W / b, C·b²]`; the inverse of `depthToSpace`. Any dtype.
 */
export const spaceToDepth = defineOp("spaceToDepth", function spaceToDepth(input: TensorLike, blockSize: number): Tensor {
  return composite([input], "SpaceToDepth", ([t]) => {
    const [n, h, w, c] = nhwc("SpaceToDepth", t!);
    const b = checkInt("SpaceToDepth", "blockSize", blockSize, 2);
    if (h % b !== 0 || w % b !== 0) {
      throw new InvalidArgumentError(opMessage("SpaceToDepth", `height ${h} and width ${w} must be divisible by blockSize ${b}`));
    }
    const x = reshape(t!, [n, h / b, b, w / b, b, c]);
    return reshape(transpose(x, [0, 1, 3, 2, 4, 5]), [n, h / b, w / b, b * b * c]);
  });
}, { paths: ["nn.spaceToDepth"] });
