/**
 * The drawing canvas and the step from a drawing to the model's input: MNIST digits are white on
 * black, scaled so the longer side of the digit is 20 pixels, and placed in a 28×28 image with their
 * centre of mass in the middle. A drawing is prepared the same way, or the model sees a different
 * kind of picture from the ones it learned on.
 */
const SIZE = 28;
const BOX = 20;

export class Sketch {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private inked = false;

  /** `onStroke` runs when a stroke ends (the pointer is released or leaves the canvas). */
  constructor(canvas: HTMLCanvasElement, onStroke: () => void) {
    this.canvas = canvas;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("This browser gives no 2D context for the drawing canvas");
    this.ctx = ctx;
    this.clear();
    canvas.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.point(e);
      this.line(this.last, this.last);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!this.drawing || !this.last) return;
      const p = this.point(e);
      this.line(this.last, p);
      this.last = p;
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      onStroke();
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  clear(): void {
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
  }

  get isEmpty(): boolean {
    return !this.inked;
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private line(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const c = this.ctx;
    c.strokeStyle = "#fff";
    c.lineWidth = this.canvas.width / 14;
    c.lineCap = "round";
    c.lineJoin = "round";
    c.beginPath();
    c.moveTo(a.x, a.y);
    c.lineTo(b.x, b.y);
    c.stroke();
    this.inked = true;
  }

  /** The drawing as a 784-pixel MNIST-style image in [0, 1], or null when nothing is drawn. */
  toInput(): Float32Array | null {
    const { width, height } = this.canvas;
    const pixels = this.ctx.getImageData(0, 0, width, height).data;
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (pixels[(y * width + x) * 4]! > 32) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) return null;
    const w = x1 - x0 + 1, h = y1 - y0 + 1;
    const scale = BOX / Math.max(w, h);
    const dw = w * scale, dh = h * scale;

    const small = document.createElement("canvas");
    small.width = small.height = SIZE;
    const sctx = small.getContext("2d", { willReadFrequently: true });
    if (!sctx) throw new Error("This browser gives no 2D context for scaling the drawing");
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = "high";
    const place = (dx: number, dy: number): Float32Array => {
      sctx.fillStyle = "#000";
      sctx.fillRect(0, 0, SIZE, SIZE);
      sctx.drawImage(this.canvas, x0, y0, w, h, dx, dy, dw, dh);
      const data = sctx.getImageData(0, 0, SIZE, SIZE).data;
      const out = new Float32Array(SIZE * SIZE);
      for (let i = 0; i < out.length; i++) out[i] = data[i * 4]! / 255;
      return out;
    };
    // Centre the box first, then move it so the centre of mass lands on the middle pixel.
    const bx = (SIZE - dw) / 2, by = (SIZE - dh) / 2;
    const boxed = place(bx, by);
    let mass = 0, mx = 0, my = 0;
    for (let i = 0; i < boxed.length; i++) {
      const v = boxed[i]!;
      mass += v;
      mx += v * (i % SIZE);
      my += v * Math.floor(i / SIZE);
    }
    if (mass === 0) return boxed;
    return place(bx + (SIZE - 1) / 2 - mx / mass, by + (SIZE - 1) / 2 - my / mass);
  }
}
