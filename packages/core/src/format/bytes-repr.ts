/** Python's `repr(bytes)` of a string's UTF-8 encoding: how TensorFlow shows string tensors (`b'hello'`). */

const encoder = new TextEncoder();

export function bytesRepr(s: string): string {
  const bytes = encoder.encode(s);
  // Python prefers single quotes; it switches to double quotes only to avoid escaping a `'`.
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? 0x22 : 0x27;
  let out = "b" + String.fromCharCode(quote);
  for (const b of bytes) {
    if (b === quote || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += "\\x" + b.toString(16).padStart(2, "0");
    else out += String.fromCharCode(b);
  }
  return out + String.fromCharCode(quote);
}
