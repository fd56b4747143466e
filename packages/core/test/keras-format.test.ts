/**
 * The pieces of the Keras file support that need no backend: Keras 3 → Keras 2 config conversion
 * (what lets the TensorFlow.js-format deserializer build models from `.keras` configs), Keras 3's
 * container naming, zip entry name checks, and the weight-layout registry.
 */
import { describe, expect, it } from "vitest";
import { unsafeEntryName } from "../src/keras/keras-format/archive.js";
import { topologyFromKerasConfig } from "../src/keras/keras-format/config.js";
import { kerasContainerNames, kerasSnakeCase, kerasWeightLayout, registerKerasWeightLayout } from "../src/keras/keras-format/weight-layout.js";
import { Layer } from "../src/keras/layer.js";

const policy = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };
const tensor = (layer: string, shape: (number | null)[]) => ({ class_name: "__keras_tensor__", config: { shape, dtype: "float32", keras_history: [layer, 0, 0] } });

describe("topologyFromKerasConfig", () => {
  it("turns a Keras 3 functional config (call records) into Keras 2's (inbound node lists)", () => {
    // As Keras 3's Functional.get_config writes a two-input model: Input, Input, Dense, Concatenate, Dense.
    const keras3 = {
      module: "keras.src.models.functional",
      class_name: "Functional",
      config: {
        name: "two_inputs",
        trainable: true,
        layers: [
          { module: "keras.layers", class_name: "InputLayer", config: { batch_shape: [null, 4], dtype: "float32", sparse: false, name: "a" }, registered_name: null, name: "a", inbound_nodes: [] },
          { module: "keras.layers", class_name: "InputLayer", config: { batch_shape: [null, 2], dtype: "float32", sparse: false, name: "b" }, registered_name: null, name: "b", inbound_nodes: [] },
          {
            module: "keras.layers", class_name: "Dense", registered_name: null, name: "dense", build_config: { input_shape: [null, 4] },
            config: { name: "dense", trainable: true, dtype: policy, units: 2, activation: { module: "keras.activations", class_name: "function", config: "relu", registered_name: "relu" } },
            inbound_nodes: [{ args: [tensor("a", [null, 4])], kwargs: {} }],
          },
          {
            module: "keras.layers", class_name: "Concatenate", registered_name: null, name: "concatenate",
            config: { name: "concatenate", trainable: true, dtype: policy, axis: -1 },
            inbound_nodes: [{ args: [[tensor("dense", [null, 2]), tensor("b", [null, 2])]], kwargs: {} }],
          },
          {
            module: "keras.layers", class_name: "Dropout", registered_name: null, name: "dropout",
            config: { name: "dropout", trainable: true, dtype: policy, rate: 0.5, seed: null, noise_shape: null },
            inbound_nodes: [{ args: [tensor("concatenate", [null, 4])], kwargs: { training: false } }],
          },
        ],
        input_layers: [["a", 0, 0], ["b", 0, 0]],
        output_layers: ["dropout", 0, 0],
      },
      registered_name: "Functional",
      build_config: { input_shape: null },
    };
    const t = topologyFromKerasConfig(keras3, "x.keras") as { class_name: string; config: Record<string, unknown> & { layers: Record<string, unknown>[] } };
    expect(t.class_name).toBe("Functional");
    expect(t.config["input_layers"]).toEqual([["a", 0, 0], ["b", 0, 0]]);
    expect(t.config["output_layers"]).toEqual([["dropout", 0, 0]]);
    expect(t.config.layers.map((l) => [l["name"], l["inbound_nodes"]])).toEqual([
      ["a", []],
      ["b", []],
      ["dense", [[["a", 0, 0, {}]]]],
      ["concatenate", [[["dense", 0, 0, {}], ["b", 0, 0, {}]]]],
      ["dropout", [[["concatenate", 0, 0, { training: false }]]]],
    ]);
    const dense = t.config.layers[2]!;
    expect(dense).toEqual({ class_name: "Dense", name: "dense", inbound_nodes: [[["a", 0, 0, {}]]], config: { name: "dense", trainable: true, dtype: { class_name: "DTypePolicy", config: { name: "float32" } }, units: 2, activation: "relu" } });
  });

  it("gives a Keras 3 Sequential without an InputLayer its built input shape", () => {
    const t = topologyFromKerasConfig(
      {
        module: "keras", class_name: "Sequential", registered_name: null,
        config: { name: "s", layers: [{ module: "keras.layers", class_name: "Dense", config: { name: "d", units: 3 }, registered_name: null, build_config: { input_shape: [null, 7] } }] },
      },
      "x.keras",
    ) as { config: { layers: { config: Record<string, unknown> }[] } };
    expect(t.config.layers[0]!.config["batch_input_shape"]).toEqual([null, 7]);
  });

  it("leaves Keras 2 configs as they are, and names bad ones", () => {
    const keras2 = { class_name: "Sequential", config: { name: "s", layers: [{ class_name: "Dense", config: { name: "d", units: 3, batch_input_shape: [null, 2] } }] } };
    expect(topologyFromKerasConfig(keras2, "x.h5")).toEqual(keras2);
    expect(() => topologyFromKerasConfig([1, 2], "x.h5")).toThrow(/x\.h5: the model config is not a Keras model config/);
    const badHistory = { class_name: "Functional", config: { layers: [{ class_name: "Dense", config: {}, name: "d", inbound_nodes: [{ args: [{ class_name: "__keras_tensor__", config: { keras_history: ["x"] } }] }] }] } };
    expect(() => topologyFromKerasConfig(badHistory, "x.keras")).toThrow(/invalid keras_history/);
  });
});

describe("Keras 3 names", () => {
  it("snake_cases class names as keras.src.utils.naming.to_snake_case", () => {
    expect(["Dense", "Conv2D", "MaxPooling2D", "Conv2DTranspose", "LSTM", "BatchNormalization", "GRUCell"].map(kerasSnakeCase)).toEqual([
      "dense", "conv2d", "max_pooling2d", "conv2d_transpose", "lstm", "batch_normalization", "gru_cell",
    ]);
  });

  it("numbers repeated classes in a container as _save_container_state does", () => {
    expect(kerasContainerNames(["Dense", "Dropout", "Dense", "Dense", "Dropout"])).toEqual(["dense", "dropout", "dense_1", "dense_2", "dropout_1"]);
  });
});

describe("zip entry names", () => {
  it("refuses names that could escape or confuse", () => {
    expect(["config.json", "assets/vocab.txt", "a/b..c"].map(unsafeEntryName)).toEqual([null, null, null]);
    expect(unsafeEntryName("../x")).toBe("a '..' component");
    expect(unsafeEntryName("a/../../x")).toBe("a '..' component");
    expect(unsafeEntryName("/etc/passwd")).toBe("an absolute path");
    expect(unsafeEntryName("a\\b")).toBe("a backslash");
    expect(unsafeEntryName("C:x")).toBe("a drive letter");
    expect(unsafeEntryName("a\0b")).toBe("a NUL character");
    expect(unsafeEntryName("")).toBe("an empty name");
  });
});

describe("weight layouts", () => {
  class Leaf extends Layer {}
  class Holder extends Layer {
    static override className = "TestHolder";
    inner = new Leaf({ name: "inner_of_holder" });
  }

  it("needs a registered layout for a layer holding other layers, and uses it", () => {
    const h = new Holder({ name: "holder" });
    expect(() => kerasWeightLayout(h)).toThrow(/Layer "holder" \(TestHolder\) holds other layers, and no Keras weight layout is registered for TestHolder/);
    const layout = { keras3: () => [{ path: "inner", variables: [] }], legacyH5: () => [] };
    registerKerasWeightLayout("TestHolder", layout);
    expect(kerasWeightLayout(h)).toBe(layout);
    expect(kerasWeightLayout(new Leaf({ name: "leaf" })).keras3(new Leaf({ name: "leaf2" }))).toEqual([{ path: "", variables: [] }]);
  });
});
