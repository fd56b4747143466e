/**
 * The walk-through, in order. Each section lives in its own file; add new ones (gradients, Keras,
 * MNIST) by appending them here.
 */
import type { Section } from "../log.js";
import { broadcasting } from "./broadcasting.js";
import { gradients } from "./gradients.js";
import { memory } from "./memory.js";
import { numpy } from "./numpy.js";
import { tensors } from "./tensors.js";
import { variables } from "./variables.js";

export const SECTIONS: readonly Section[] = [tensors, numpy, broadcasting, variables, gradients, memory];
