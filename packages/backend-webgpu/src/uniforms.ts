/**
 * Uniform parameters of a program (sizes, shapes, strides, scalar constants). A program declares its
 * fields in order; the same list generates the WGSL struct and packs the values, so the two cannot
 * disagree. Every field is a 4-byte scalar (uniform arrays would need 16-byte strides).
 */
export type ScalarType = "u32" | "i32" | "f32";

export interface UniformField {
  readonly name: string;
  readonly type: ScalarType;
  readonly value: number;
}

export class UniformBuilder {
  readonly fields: UniformField[] = [];

  u32(name: string, value: number): this {
    this.fields.push({ name, type: "u32", value });
    return this;
  }
  i32(name: string, value: number): this {
    this.fields.push({ name, type: "i32", value });
    return this;
  }
  f32(name: string, value: number): this {
    this.fields.push({ name, type: "f32", value });
    return this;
  }
  /** Adds `name0..name{n-1}` as u32. */
  u32s(name: string, values: readonly number[]): this {
    values.forEach((v, i) => this.u32(`${name}${i}`, v));
    return this;
  }

  /** `struct Uniforms { ... }` (at least one member). */
  wgslStruct(): string {
    const members = this.fields.length ? this.fields.map((f) => `  ${f.name}: ${f.type},`).join("\n") : "  unused: u32,";
    return `struct Uniforms {\n${members}\n}`;
  }

  /** Bytes of the struct, rounded up to 16. */
  byteLength(): number {
    return Math.max(16, Math.ceil((this.fields.length * 4) / 16) * 16);
  }

  /** Writes the values into `view` at `offset`. */
  pack(view: DataView, offset: number): void {
    for (let i = 0; i < this.fields.length; i++) {
      const f = this.fields[i]!;
      const at = offset + 4 * i;
      if (f.type === "f32") view.setFloat32(at, f.value, true);
      else if (f.type === "i32") view.setInt32(at, f.value | 0, true);
      else view.setUint32(at, f.value >>> 0, true);
    }
  }
}
