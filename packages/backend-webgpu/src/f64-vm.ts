/**
 * A tiny register machine for the soft-float parts of the float64 elementary functions.
 *
 * GPU compilers inline every function call, and one soft-float add is a few hundred instructions,
 * so writing fdlibm's formulas as nested calls produced shaders that took tens of seconds to
 * compile. Instead each formula is assembled here (in TypeScript, once) into a straight-line
 * program of add/sub/mul/div/const/move instructions, and `d_vm` runs it in a loop whose body holds
 * one add, one multiply and one divide: shader size, and compile time, no longer grow with the
 * formulas. The WGSL around it (range checks, exponent tricks, argument reduction bits) stays native.
 *
 * Register file: 64 `vec2<u32>` per thread. Inputs are preloaded in registers 0.., outputs come
 * back in registers 56.. (`OUT`); everything between is allocated by liveness.
 */

const OP_ADD = 0;
const OP_SUB = 1;
const OP_MUL = 2;
const OP_DIV = 3;
const OP_CONST = 4;
const OP_MOV = 5;

/** First output register. */
export const OUT = 56;
const REGS = 64;

type V = number;

interface Ins {
  readonly op: number;
  readonly dst: V;
  readonly a: V;
  readonly b: V;
  readonly k: number;
}

/** Builds one program: `inputs` values in registers 0..inputs−1, results via `output`. */
export class Asm {
  readonly ins: Ins[] = [];
  private next: number;
  private readonly outs: V[] = [];

  constructor(readonly inputs: number) {
    this.next = inputs;
  }

  /** Virtual register of input i. */
  in(i: number): V {
    return i;
  }
  private emit(op: number, a: V, b: V, k = 0): V {
    const dst = this.next++;
    this.ins.push({ op, dst, a, b, k });
    return dst;
  }
  add(a: V, b: V): V {
    return this.emit(OP_ADD, a, b);
  }
  sub(a: V, b: V): V {
    return this.emit(OP_SUB, a, b);
  }
  mul(a: V, b: V): V {
    return this.emit(OP_MUL, a, b);
  }
  div(a: V, b: V): V {
    return this.emit(OP_DIV, a, b);
  }
  c(x: number): V {
    return this.emit(OP_CONST, 0, 0, constIndex(x));
  }
  /** c0 + t·(c1 + t·(c2 + ...)). */
  poly(t: V, coeffs: readonly number[]): V {
    let acc = this.c(coeffs[coeffs.length - 1]!);
    for (let i = coeffs.length - 2; i >= 0; i--) acc = this.add(this.c(coeffs[i]!), this.mul(t, acc));
    return acc;
  }
  output(...vs: V[]): void {
    this.outs.push(...vs);
  }

  /** Physical instructions: registers allocated by liveness, outputs moved to OUT.. at the end. */
  assemble(): number[] {
    const all: Ins[] = [...this.ins];
    this.outs.forEach((v, i) => all.push({ op: OP_MOV, dst: -1 - i, a: v, b: v, k: 0 }));
    const lastUse = new Map<V, number>();
    all.forEach((x, i) => {
      if (x.op !== OP_CONST) {
        lastUse.set(x.a, i);
        lastUse.set(x.b, i);
      }
    });
    const phys = new Map<V, number>();
    const free: number[] = [];
    for (let r = OUT - 1; r >= this.inputs; r--) free.push(r);
    for (let i = 0; i < this.inputs; i++) phys.set(i, i);
    const words: number[] = [];
    all.forEach((x, i) => {
      const pa = x.op === OP_CONST ? 0 : phys.get(x.a)!;
      const pb = x.op === OP_CONST ? 0 : phys.get(x.b)!;
      // Free operands whose last use is this instruction (inputs too), before choosing dst.
      for (const v of new Set([x.a, x.b])) {
        if (x.op !== OP_CONST && lastUse.get(v) === i && phys.has(v)) {
          free.push(phys.get(v)!);
          phys.delete(v);
        }
      }
      let pd: number;
      if (x.dst < 0) pd = OUT + (-1 - x.dst);
      else {
        const r = free.pop();
        if (r === undefined) throw new Error("f64 VM: out of registers");
        pd = r;
        phys.set(x.dst, pd);
      }
      if (x.op === OP_CONST) words.push(OP_CONST | (pd << 3) | (x.k << 9));
      else words.push(x.op | (pd << 3) | (pa << 9) | (pb << 15));
    });
    return words;
  }
}

const constants: number[] = [];
function constIndex(x: number): number {
  let i = constants.findIndex((c) => Object.is(c, x));
  if (i < 0) {
    constants.push(x);
    i = constants.length - 1;
  }
  return i;
}

/** The assembled programs: name → [start, end) in the shared code table. */
export const VM_PROGRAMS = new Map<string, readonly [number, number]>();
const code: number[] = [];

/** Assembles `build` as program `name` (at module load). */
export function program(name: string, inputs: number, build: (a: Asm) => void): void {
  const a = new Asm(inputs);
  build(a);
  const words = a.assemble();
  VM_PROGRAMS.set(name, [code.length, code.length + words.length]);
  code.push(...words);
}

/** `d_vm(start, end, &R)` for program `name`, as WGSL. */
export function run(name: string): string {
  const p = VM_PROGRAMS.get(name);
  if (!p) throw new Error(`unknown f64 VM program ${name}`);
  return `d_vm(${p[0]}u, ${p[1]}u, &R)`;
}

/**
 * `s = start; e = end;` for program `name`: functions run their programs from one `d_vm(s, e, &R)`
 * call inside a phase loop, so the machine is inlined once per function, not once per formula.
 */
export function prog(name: string): string {
  const p = VM_PROGRAMS.get(name);
  if (!p) throw new Error(`unknown f64 VM program ${name}`);
  return `s = ${p[0]}u; e = ${p[1]}u;`;
}

/** The WGSL of the machine (call after every program is assembled). */
export function vmWgsl(): string {
  const w = new Uint32Array(2);
  const f = new Float64Array(w.buffer);
  const ks = constants.map((x) => {
    f[0] = x;
    return `vec2<u32>(0x${w[0]!.toString(16)}u, 0x${w[1]!.toString(16)}u)`;
  });
  return `const VM_CODE = array<u32, ${code.length}>(${code.map((x) => `${x >>> 0}u`).join(", ")});
const VM_K = array<vec2<u32>, ${ks.length}>(${ks.join(", ")});
alias DRegs = array<vec2<u32>, ${REGS}>;
fn d_vm(start: u32, end: u32, R: ptr<function, DRegs>) {
  for (var pc = start; pc < end; pc = pc + 1u) {
    let ins = VM_CODE[pc];
    let op = ins & 7u;
    let dst = (ins >> 3u) & 63u;
    var r: vec2<u32>;
    if (op == ${OP_CONST}u) {
      r = VM_K[ins >> 9u];
    } else {
      let x = (*R)[(ins >> 9u) & 63u];
      var y = (*R)[(ins >> 15u) & 63u];
      if (op == ${OP_MOV}u) { r = x; }
      else if (op == ${OP_DIV}u) { r = d_div(x, y); }
      else if (op == ${OP_MUL}u) { r = d_mul(x, y); }
      else {
        if (op == ${OP_SUB}u) { y = d_neg(y); }
        r = d_add(x, y);
      }
    }
    (*R)[dst] = r;
  }
}`;
}
