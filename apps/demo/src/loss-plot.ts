/** Loss curves as a standalone SVG (hand-written: a few polylines, axes and a legend). */

/** One model's per-epoch losses. */
export interface Curve {
  name: string;
  train: readonly number[];
  test: readonly number[];
}

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least `v`. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p;
}

/** An SVG of train (solid) and test (dashed) loss per epoch for each curve. */
export function lossCurvesSvg(curves: readonly Curve[], title: string): string {
  const W = 760, H = 440, L = 64, R = 230, T = 48, B = 56;
  const pw = W - L - R, ph = H - T - B;
  const epochs = Math.max(1, ...curves.map((c) => Math.max(c.train.length, c.test.length)));
  const top = niceMax(Math.max(1e-3, ...curves.flatMap((c) => [...c.train, ...c.test]).filter(Number.isFinite)));
  const x = (e: number) => L + (epochs === 1 ? pw / 2 : ((e - 1) / (epochs - 1)) * pw);
  const y = (v: number) => T + ph - (Math.min(v, top) / top) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L + pw / 2}" y="24" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = (top * i) / 5;
    out.push(`<line x1="${L}" x2="${L + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${L - 8}" y="${y(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`);
  }
  for (let e = 1; e <= epochs; e++) out.push(`<text x="${x(e)}" y="${T + ph + 18}" text-anchor="middle">${e}</text>`);
  out.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${L + pw / 2}" y="${H - 14}" text-anchor="middle">epoch</text>`);
  out.push(`<text transform="translate(18 ${T + ph / 2}) rotate(-90)" text-anchor="middle">loss (sparse categorical cross-entropy)</text>`);
  curves.forEach((c, i) => {
    const color = COLORS[i % COLORS.length]!;
    for (const [values, dash] of [[c.train, ""], [c.test, ' stroke-dasharray="6 4"']] as const) {
      if (values.length === 0) continue;
      const pts = values.map((v, e) => `${x(e + 1).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      out.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
      for (const p of pts.split(" ")) out.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="2.5" fill="${color}"/>`);
    }
    const ly = T + 10 + i * 40;
    out.push(`<line x1="${L + pw + 16}" x2="${L + pw + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${L + pw + 46}" y="${ly + 4}">${esc(c.name)}: train</text>`);
    out.push(`<line x1="${L + pw + 16}" x2="${L + pw + 40}" y1="${ly + 16}" y2="${ly + 16}" stroke="${color}" stroke-width="2" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${L + pw + 46}" y="${ly + 20}">${esc(c.name)}: test</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
