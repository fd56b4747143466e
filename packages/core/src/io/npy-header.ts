/**
 * The header of a `.npy` file is a Python dict literal, e.g.
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. This reads the small subset of
 * Python literal syntax such headers use (strings, True/False/None, integers, tuples, lists, dicts),
 * without evaluating anything.
 */

/** A parsed Python literal. */
export type PyValue =
  | { kind: "str"; value: string }
  | { kind: "int"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "tuple"; items: PyValue[] }
  | { kind: "list"; items: PyValue[] }
  | { kind: "dict"; entries: [PyValue, PyValue][] };

class ParseError extends Error {}

/** Deepest nesting of tuples, lists and dicts accepted (a .npy header nests two levels). */
const MAX_DEPTH = 16;

/** Parses one literal spanning all of `text` (surrounding whitespace allowed); throws Error on bad syntax. */
export function parsePyLiteral(text: string): PyValue {
  let pos = 0;
  let depth = 0;
  const fail = (what: string): never => {
    throw new ParseError(`${what} at character ${pos}`);
  };
  const skip = () => {
    while (pos < text.length && " \t\r\n".includes(text[pos]!)) pos++;
  };
  const value = (): PyValue => {
    skip();
    const c = text[pos];
    if (c === undefined) return fail("unexpected end");
    if (c === "'" || c === '"') return str(c);
    if (c === "{" || c === "(" || c === "[") {
      if (++depth > MAX_DEPTH) return fail(`nested deeper than ${MAX_DEPTH} levels`);
      const v = c === "{" ? dict() : c === "(" ? seq(")", "tuple") : seq("]", "list");
      depth--;
      return v;
    }
    if (c === "-" || c === "+" || (c >= "0" && c <= "9")) return int();
    const m = /^[A-Za-z_]\w*/.exec(text.slice(pos));
    if (m) {
      pos += m[0].length;
      if (m[0] === "True") return { kind: "bool", value: true };
      if (m[0] === "False") return { kind: "bool", value: false };
      if (m[0] === "None") return { kind: "none" };
      return fail(`unexpected name '${m[0]}'`);
    }
    return fail(`unexpected character ${JSON.stringify(c)}`);
  };
  const str = (quote: string): PyValue => {
    pos++;
    let out = "";
    for (;;) {
      const c = text[pos++];
      if (c === undefined) return fail("unterminated string");
      if (c === quote) return { kind: "str", value: out };
      if (c === "\\") {
        const e = text[pos++];
        if (e === undefined) return fail("unterminated string");
        out += e === "n" ? "\n" : e === "t" ? "\t" : e;
      } else out += c;
    }
  };
  const int = (): PyValue => {
    // Python 2 wrote long integers with an L suffix: (3L, 4L).
    const m = /^[-+]?\d+[lL]?/.exec(text.slice(pos));
    if (!m) return fail("bad number");
    pos += m[0].length;
    if (/^[.eEjJxX]/.test(text[pos] ?? "")) return fail("only integers are expected");
    return { kind: "int", value: Number(m[0].replace(/[lL]$/, "")) };
  };
  const seq = (close: string, kind: "tuple" | "list"): PyValue => {
    pos++;
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      skip();
      if (text[pos] === close) {
        pos++;
        // (3) is an integer in Python, (3,) a tuple.
        if (kind === "tuple" && items.length === 1 && !sawComma) return items[0]!;
        return { kind, items };
      }
      items.push(value());
      skip();
      if (text[pos] === ",") {
        pos++;
        sawComma = true;
      } else if (text[pos] !== close) return fail(`expected ',' or '${close}'`);
    }
  };
  const dict = (): PyValue => {
    pos++;
    const entries: [PyValue, PyValue][] = [];
    for (;;) {
      skip();
      if (text[pos] === "}") {
        pos++;
        return { kind: "dict", entries };
      }
      const k = value();
      skip();
      if (text[pos] !== ":") return fail("expected ':'");
      pos++;
      entries.push([k, value()]);
      skip();
      if (text[pos] === ",") pos++;
      else if (text[pos] !== "}") return fail("expected ',' or '}'");
    }
  };
  const v = value();
  skip();
  if (pos !== text.length) fail("unexpected text after the literal");
  return v;
}

/** Python's repr of a value, for error messages. */
export function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case "str": return `'${v.value}'`;
    case "int": return String(v.value);
    case "bool": return v.value ? "True" : "False";
    case "none": return "None";
    case "tuple": return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(", ")})`;
    case "list": return `[${v.items.map(pyRepr).join(", ")}]`;
    case "dict": return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  }
}
