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

/** The report of a field that passes. */
export function no_issues() {
  return { errors: [], warnings: [] };
}

/** A result of the module, from its string. */
export function decode(text) {
  tokens = text.split(SEP);
  at = 0;
  const value = read();
  tokens = [];
  return value;
}

// The payloads of a bulk check (validateCsv, validateRows, CsvValidator), from the layout of
// src/bulk/payloads.rs: per row a fixed number of words, its line then two per value, the index
// of one of the payloads' own values or, with the top bit set, the start and end (UTF-16 code
// units) of the value in the file's text (validateCsv given a string). Each value is one array
// read or one `substring`: no string is written, sent or parsed once per value. The summary's
// `fields` (`payloads::fields`) names the values that are fields, after the customer: the
// signatory's on the legacy route, the attestation's on the enhanced.
const utf8 = new TextDecoder();
const IN_FILE = 0x80000000;

/** A bulk result: its summary (one string, as `decode` reads it), its issues, its payloads. */
export function bulkResult(summary, lines, bytes, ends, words, rowWords, file, linesLeftOff) {
  const { route, rows, valid, invalid, kinds, issuesLeftOff, fields: names } = decode(summary);
  const issues = [];
  for (let i = 0; i < lines.length; i += 2) {
    const { field, code, message, params } = kinds[lines[i + 1]];
    issues.push({ line: lines[i], field, code, message, params: { ...params } });
  }
  const text = utf8.decode(bytes);
  const own = [""];
  for (let i = 1; i < ends.length; i++) own.push(text.substring(ends[i - 1], ends[i]));
  const value = (i) => {
    const first = words[i];
    return first >= IN_FILE ? file.substring(first - IN_FILE, words[i + 1] - IN_FILE) : own[first];
  };
  const after = 3 + 2 * names.length;
  const payloads = [];
  for (let i = 0; i < words.length; i += rowWords) {
    const fields = {};
    for (let k = 0; k < names.length; k++) {
      const given = value(i + 3 + 2 * k);
      // A contact's value left empty is left out (the phone number).
      if (route === "enhanced" || given !== "") fields[names[k]] = given;
    }
    payloads.push(route === "enhanced"
      ? { line: words[i], customerId: value(i + 1), attestation: fields }
      : {
        line: words[i],
        customerId: value(i + 1),
        payload: { primaryContact: fields, templateId: value(i + after), dateAgreed: value(i + after + 2), type: value(i + after + 4) },
      });
  }
  return { route, rows, valid, invalid, issues, issuesLeftOff, linesLeftOff: Array.from(linesLeftOff), payloads };
}

// The IDNA processing of an email address's domain (src/checks/domain.rs): the browser's own, at no cost
// to the module.

/** The ASCII form of a domain as the URL parser's host processing gives it (UTS #46), or undefined. */
export function domainToAscii(domain) {
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
}

/** The first code point that is not a letter (Ll, Lo, Lm), a mark (Mn, Mc), a digit (Nd) or `-`; 0 if none. */
export function firstNotLetterDigit(text) {
  const found = /[^\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}-]/u.exec(text);
  return found ? found[0].codePointAt(0) : 0;
}
