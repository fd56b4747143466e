/**
 * The playground page: lists the backends that can run in this browser, trains the demo's MNIST MLP
 * on the chosen one with live curves, reports the test accuracy, and classifies drawn digits.
 *
 * URL parameters: `?backend=wasm` preselects a backend, `?epochs=2` sets the number of epochs.
 * `document.body.dataset.state` is loading → ready → training → done (or error), for tests and styling.
 */
import "./style.css";
import * as tf from "@tessera/core";
import { activate, probeBackends } from "./backends.js";
import type { Choice, ChoiceInfo } from "./backends.js";
import { TrainingCharts } from "./charts.js";
import { loadDigits, split, TEST_SIZE, TRAIN_SIZE } from "./data.js";
import type { Split } from "./data.js";
import { Sketch } from "./sketch.js";
import { trainMlp } from "./train.js";
import type { Trained } from "./train.js";

type State = "loading" | "ready" | "training" | "done" | "error";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no #${id}`);
  return el as T;
}

const ui = {
  list: document.querySelector<HTMLUListElement>("[data-testid=backend-list]")!,
  select: byId<HTMLSelectElement>("backend"),
  epochs: byId<HTMLInputElement>("epochs"),
  train: byId<HTMLButtonElement>("train"),
  status: byId<HTMLParagraphElement>("status"),
  error: byId<HTMLParagraphElement>("error"),
  accuracy: byId<HTMLParagraphElement>("accuracy"),
  prediction: byId<HTMLParagraphElement>("prediction"),
  probabilities: byId<HTMLOListElement>("probabilities"),
  clear: byId<HTMLButtonElement>("clear"),
  canvas: byId<HTMLCanvasElement>("canvas"),
};

const params = new URLSearchParams(location.search);
const charts = new TrainingCharts(byId("loss-chart"), byId("accuracy-chart"));
let model: Trained | null = null;

function setState(state: State): void {
  document.body.dataset["state"] = state;
}

function showError(context: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  ui.error.textContent = `${context}: ${message}`;
  ui.error.hidden = false;
  console.error(context, err);
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = "";
}

function renderBackends(infos: ChoiceInfo[]): void {
  ui.list.replaceChildren(
    ...infos.map((info) => {
      const li = document.createElement("li");
      li.className = info.available ? "available" : "unavailable";
      li.dataset["backend"] = info.choice;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = info.label;
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = info.available ? "available" : "unavailable";
      const detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = info.detail;
      li.append(name, badge, detail);
      return li;
    }),
  );
  ui.select.replaceChildren(
    ...infos.map((info) => {
      const option = document.createElement("option");
      option.value = info.choice;
      option.disabled = !info.available;
      option.textContent = info.available ? info.label : `${info.label} (unavailable)`;
      option.title = info.detail;
      return option;
    }),
  );
  const wanted = params.get("backend");
  const preferred = infos.find((i) => i.available && i.choice === wanted) ?? infos.find((i) => i.available && i.choice === "wasm") ?? infos.find((i) => i.available);
  if (preferred) ui.select.value = preferred.choice;
}

function renderPrediction(probs: Float32Array): void {
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[best]!) best = i;
  ui.prediction.textContent = `Prediction: ${best} (${(probs[best]! * 100).toFixed(1)} %)`;
  ui.probabilities.replaceChildren(
    ...Array.from(probs, (p, digit) => {
      const li = document.createElement("li");
      if (digit === best) li.className = "top";
      const label = document.createElement("span");
      label.textContent = `${digit}`;
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = `${Math.max(1, p * 160)}px`;
      const value = document.createElement("span");
      value.textContent = `${(p * 100).toFixed(1)} %`;
      li.append(label, bar, value);
      return li;
    }),
  );
}

async function predictDrawing(sketch: Sketch): Promise<void> {
  if (!model) {
    ui.prediction.textContent = "Train the model first, then draw again.";
    return;
  }
  const input = sketch.toInput();
  if (!input) return;
  try {
    renderPrediction(await model.predict(input));
  } catch (err) {
    showError("Prediction failed", err);
  }
}

async function train(splitData: () => Promise<Split>): Promise<void> {
  const choice = ui.select.value as Choice;
  const epochs = Math.max(1, Math.min(50, Math.floor(Number(ui.epochs.value)) || 1));
  clearError();
  setState("training");
  ui.train.disabled = ui.select.disabled = ui.epochs.disabled = true;
  ui.accuracy.textContent = "Test accuracy: training…";
  ui.prediction.textContent = "";
  ui.probabilities.replaceChildren();
  model?.dispose();
  model = null;
  charts.reset();
  let data: Split | null = null;
  const started = performance.now();
  try {
    ui.status.textContent = `Starting ${choice}…`;
    await activate(choice);
    data = await splitData();
    const trained = await trainMlp(data, {
      epochs,
      onBatch: (p) => {
        charts.addTrain(p.epoch - 1 + p.batch / p.batches, p.loss, p.accuracy);
        ui.status.textContent = `Training on ${choice}: epoch ${p.epoch}/${epochs}, batch ${p.batch}/${p.batches}, loss ${p.loss.toFixed(4)}, accuracy ${p.accuracy.toFixed(4)}`;
      },
      onEpoch: (r) => charts.addTest(r.epoch, r.testLoss, r.testAccuracy),
    });
    model = trained;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    ui.accuracy.textContent = `Test accuracy: ${trained.testAccuracy.toFixed(4)} on ${TEST_SIZE} digits (${choice}, ${epochs} epoch${epochs === 1 ? "" : "s"})`;
    ui.status.textContent = `Trained on ${TRAIN_SIZE} digits with ${choice} in ${seconds} s. Draw a digit below.`;
    setState("done");
  } catch (err) {
    showError(`Training on ${choice} failed`, err);
    ui.accuracy.textContent = "Test accuracy: training failed";
    ui.status.textContent = "Training failed.";
    setState("error");
  } finally {
    if (data) tf.dispose([data.xTrain, data.yTrain, data.xTest, data.yTest]);
    ui.train.disabled = ui.select.disabled = ui.epochs.disabled = false;
  }
}

async function start(): Promise<void> {
  const epochs = Number.parseInt(params.get("epochs") ?? "", 10);
  if (Number.isFinite(epochs) && epochs > 0) ui.epochs.value = String(epochs);

  const sketch = new Sketch(ui.canvas, () => void predictDrawing(sketch));
  ui.clear.addEventListener("click", () => {
    sketch.clear();
    ui.prediction.textContent = "";
    ui.probabilities.replaceChildren();
  });

  const digits = loadDigits();
  digits.catch(() => undefined); // reported when training asks for it
  const available = await probeBackends();
  renderBackends(available);
  if (!available.some((i) => i.available)) {
    throw new Error("No backend can start in this browser");
  }
  ui.select.disabled = false;
  ui.train.disabled = false;
  ui.status.textContent = "Ready: pick a backend and press Train.";
  setState("ready");
  ui.train.addEventListener("click", () => void train(async () => split(await digits)));
}

start().catch((err: unknown) => {
  showError("The playground could not start", err);
  ui.status.textContent = "The playground could not start.";
  setState("error");
});
