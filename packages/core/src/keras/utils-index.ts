/** `tf.keras.utils`. */
export { getRegisteredName, getRegisteredObject, registerKerasSerializable } from "./utils.js";
export type { RegisterKerasSerializableOptions, SerializableLayerClass } from "./utils.js";
