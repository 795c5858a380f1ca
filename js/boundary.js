// The module's side of the crossing in JavaScript (imported by the wasm-bindgen glue): a JS
// value written as one string for the module, and a result read back from one string. The
// format is described in src/wasm/compact.rs. Property reads and writes happen here, in plain
// JavaScript, instead of one call across the boundary each.
const SEP = "\0";
const DEPTH = 64;

function put(value, out, depth) {
  switch (typeof value) {
    case "string":
      out.push(`s${value.includes(SEP) ? value.replaceAll(SEP, "\uFFFD") : value}`);
      return;
    case "number":
      out.push(`n${value}`);
      return;
    case "boolean":
      out.push(value ? "t" : "f");
      return;
    case "undefined":
      out.push("u");
      return;
    case "object":
      if (value === null) {
        out.push("u");
        return;
      }
      if (depth < DEPTH) {
        if (Array.isArray(value)) {
          out.push(`[${value.length}`);
          for (let i = 0; i < value.length; i++) put(value[i], out, depth + 1);
          return;
        }
        const keys = Object.keys(value);
        out.push(`{${keys.length}`);
        for (const key of keys) {
          out.push(key.includes(SEP) ? key.replaceAll(SEP, "\uFFFD") : key);
          let item;
          try {
            item = value[key];
          } catch {
            item = undefined; // a throwing getter reads as undefined
          }
          put(item, out, depth + 1);
        }
        return;
      }
      out.push("x");
      return;
    default:
      out.push("x"); // functions, symbols, bigints: present, but no data for the module
  }
}

/** The arguments of a call, as one string: an array of them. */
export function encode_args(a, b, c) {
  const out = ["[3"];
  put(a, out, 1);
  put(b, out, 1);
  put(c, out, 1);
  return out.join(SEP);
}

// The decoder's state: one result is read at a time (JavaScript runs one call at a time).
let tokens = [];
let at = 0;

function read() {
  const token = tokens[at++];
  switch (token.charCodeAt(0)) {
    case 115: // s
      return token.slice(1);
    case 110: // n
      return +token.slice(1);
    case 116: // t
      return true;
    case 102: // f
      return false;
    case 91: { // [ items ]
      const items = [];
      while (tokens[at] !== "]") items.push(read());
      at++;
      return items;
    }
    case 123: { // { key value ... }
      const object = {};
      while (tokens[at] !== "}") {
        const key = tokens[at++];
        object[key] = read();
      }
      at++;
      return object;
    }
    default: // u
      return undefined;
  }
}

/** A result of the module, from its string. */
export function decode(text) {
  tokens = text.split(SEP);
  at = 0;
  const value = read();
  tokens = [];
  return value;
}
