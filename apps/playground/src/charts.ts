/**
 * Live loss and accuracy curves (uPlot): the training values as batches finish, and the test values
 * at each epoch's end, against epochs on the x axis.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

interface Curve {
  readonly plot: uPlot;
  readonly x: number[];
  readonly train: (number | null)[];
  readonly test: (number | null)[];
}

function makeCurve(el: HTMLElement, title: string, range: [number, number] | null): Curve {
  const width = Math.max(280, Math.min(480, el.clientWidth || 420));
  const plot = new uPlot(
    {
      title,
      width,
      height: 220,
      scales: { x: { time: false }, y: range ? { range } : { auto: true } },
      axes: [{ label: "epoch" }, {}],
      series: [
        { label: "epoch", value: (_u, v) => (v == null ? "–" : v.toFixed(2)) },
        { label: "train", stroke: "#2f6fdf", width: 1.5, value: (_u, v) => (v == null ? "–" : v.toFixed(4)) },
        {
          label: "test",
          stroke: "#e0702a",
          width: 2,
          spanGaps: true,
          points: { show: true, size: 7 },
          value: (_u, v) => (v == null ? "–" : v.toFixed(4)),
        },
      ],
    },
    [[], [], []],
    el,
  );
  return { plot, x: [], train: [], test: [] };
}

export class TrainingCharts {
  private readonly loss: Curve;
  private readonly accuracy: Curve;

  constructor(lossEl: HTMLElement, accuracyEl: HTMLElement) {
    this.loss = makeCurve(lossEl, "Loss", null);
    this.accuracy = makeCurve(accuracyEl, "Accuracy", [0, 1]);
  }

  reset(): void {
    for (const c of [this.loss, this.accuracy]) {
      c.x.length = c.train.length = c.test.length = 0;
      c.plot.setData([[], [], []]);
    }
  }

  /** A training point at `epoch` (fractional: 1.5 is half-way through the second epoch). */
  addTrain(epoch: number, loss: number, accuracy: number): void {
    this.push(this.loss, epoch, loss, null);
    this.push(this.accuracy, epoch, accuracy, null);
  }

  /** The test set's values at the end of epoch number `epoch` (1-based). */
  addTest(epoch: number, loss: number, accuracy: number): void {
    this.push(this.loss, epoch, null, loss);
    this.push(this.accuracy, epoch, null, accuracy);
  }

  private push(c: Curve, x: number, train: number | null, test: number | null): void {
    c.x.push(x);
    c.train.push(train);
    c.test.push(test);
    c.plot.setData([c.x, c.train, c.test]);
  }
}
