/** The MNIST part of the main job, run after the seed walk-through (see main.ts). */
import type { Section } from "../log.js";
import { mnistCnn } from "./mnist-cnn.js";
import { mnistFit } from "./mnist-fit.js";
import { mnistPlot } from "./mnist-plot.js";
import { mnistTrainStep } from "./mnist-train-step.js";

export const MNIST_SECTIONS: readonly Section[] = [mnistTrainStep, mnistFit, mnistCnn, mnistPlot];
