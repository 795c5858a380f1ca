// The module's side of the crossing in JavaScript (imported by the wasm-bindgen glue): a JS
// value written as one string for the module, and a result read back from one string. The
// format is described in src/wasm/compact.rs. Property reads and writes happen here, in plain
// JavaScript, instead of one call across the boundary each.
const SEP = "\0";
const DEPTH = 64;

/** A value's text (its tokens, each after a separator), written by concatenation. */
function put(value, depth) {
  switch (typeof value) {
    case "string":
      return `${SEP}s${clean(value)}`;
    case "number":
      return `${SEP}n${value}`;
    case "boolean":
      return value ? `${SEP}t` : `${SEP}f`;
    case "undefined":
      return `${SEP}u`;
    case "object": {
      if (value === null) return `${SEP}u`;
      if (depth >= DEPTH) return `${SEP}x`;
      if (Array.isArray(value)) {
        let text = `${SEP}[${value.length}`;
        for (let i = 0; i < value.length; i++) text += put(value[i], depth + 1);
        return text;
      }
      const keys = Object.keys(value);
      let text = `${SEP}{${keys.length}`;
      for (const key of keys) {
        let item;
        try {
          item = value[key];
        } catch {
          item = undefined; // a throwing getter reads as undefined
        }
        text += `${SEP}${clean(key)}${put(item, depth + 1)}`;
      }
      return text;
    }
    default:
      return `${SEP}x`; // functions, symbols, bigints: present, but no data for the module
  }
}

/** A string as a token's text: a separator inside it is written U+FFFD. */
function clean(text) {
  return text.includes(SEP) ? text.replaceAll(SEP, "\uFFFD") : text;
}

/** The arguments of a call, as one string: an array of them. */
export function encode_args(a, b, c) {
  return `[3${put(a, 1)}${put(b, 1)}${put(c, 1)}`;
}

// A form of text fields crosses as its values alone, in the order of the module's table of
// fields (`form_fields`, given once by the module): one token, `v` then the values separated by
// U+0001, without tags or keys. A form with a value that is not a string (nor absent) or holds
// U+0000 or U+0001, or a property the generic text would not read (inherited, or a getter that
// throws), crosses as any object does.
const INNER = "\u0001";
let formFields = [];
const own = Object.prototype.propertyIsEnumerable;

/** The names of the form's fields, in the module's order. */
export function form_fields(names) {
  formFields = names.split(SEP).slice(0, -1);
}

function putForm(form) {
  if (typeof form !== "object" || form === null || Array.isArray(form)) return put(form, 1);
  let text = `${SEP}v`;
  for (let i = 0; i < formFields.length; i++) {
    const name = formFields[i];
    let value;
    try {
      value = form[name];
    } catch {
      return put(form, 1);
    }
    if (i > 0) text += INNER;
    if (typeof value === "string") {
      if (value.includes(SEP) || value.includes(INNER) || !own.call(form, name)) return put(form, 1);
      text += value;
    } else if (value !== undefined && value !== null) {
      return put(form, 1);
    }
  }
  return text;
}

/** The arguments of a call whose first is a form of text fields (see `putForm`). */
export function encode_form(form, b) {
  return `[3${putForm(form)}${put(b, 1)}${SEP}u`;
}

// The options of `validateConfirmation` and `validateField` as the module last read them: a call
// with the same options (a portal checking each keystroke) sends a mark instead of their text,
// and the module checks with what it read then (`with_validator` in src/wasm/api.rs).
let lastOptions;
// Their own keys and values, when every value is a string, a number, a boolean, null or
// undefined (their text then follows from them): options with the same keys and values, in the
// same order, are the same options without being written again.
let lastEntries;

/** An object whose own keys `put` writes as an object's (not an array). */
const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether `options` has the keys and values of the last options (see `lastEntries`). */
function sameEntries(options) {
  if (lastEntries === undefined || !isRecord(options)) return false;
  try {
    const keys = Object.keys(options);
    if (keys.length * 2 !== lastEntries.length) return false;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== lastEntries[2 * i] || options[keys[i]] !== lastEntries[2 * i + 1]) return false;
    }
    return true;
  } catch {
    return false; // a getter that throws: written as `put` writes it
  }
}

/** The keys and values of `options` when all of them are plain values (see `lastEntries`). */
function entriesOf(options) {
  if (!isRecord(options)) return undefined;
  const entries = [];
  try {
    for (const key of Object.keys(options)) {
      const value = options[key];
      if (typeof value === "object" ? value !== null : typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean" && value !== undefined) return undefined;
      entries.push(key, value);
    }
  } catch {
    return undefined;
  }
  return entries;
}

/** The options' text (as one value's: no separator before it), or `undefined` when they are the last ones the module read (`validateField`'s, and `validateConfirmation`'s below). */
export function options_text(options) {
  if (sameEntries(options)) return undefined;
  const text = put(options, 1).slice(1);
  if (text === lastOptions) return undefined;
  lastOptions = text;
  lastEntries = entriesOf(options);
  return text;
}

/** `validateConfirmation`'s form and options: the options' text, or `=` for the last ones. */
export function encode_form_options(form, options) {
  return `[3${putForm(form)}${SEP}${options_text(options) ?? "="}${SEP}u`;
}

/** The text of the last options (the module no longer holds what it read from them). */
export function last_options() {
  return lastOptions ?? "u";
}

/** The module could not read the last options: the next call sends their text. */
export function forget_options() {
  lastOptions = undefined;
  lastEntries = undefined;
}

// The decoder's state: one result is read at a time (JavaScript runs one call at a time). The
// text is read where it lies: a token's value is one `slice`, and `[`, `]`, `{`, `}` none.
let text = "";
let at = 0;

/** Where the token at `at` ends. */
function tokenEnd() {
  const end = text.indexOf(SEP, at);
  return end < 0 ? text.length : end;
}

function read() {
  switch (text.charCodeAt(at)) {
    case 115: { // s
      const end = tokenEnd();
      const value = text.slice(at + 1, end);
      at = end + 1;
      return value;
    }
    case 110: { // n
      const end = tokenEnd();
      const value = +text.slice(at + 1, end);
      at = end + 1;
      return value;
    }
    case 116: // t
      at += 2;
      return true;
    case 102: // f
      at += 2;
      return false;
    case 91: { // [ items ]
      at += 2;
      const items = [];
      while (text.charCodeAt(at) !== 93) items.push(read());
      at += 2;
      return items;
    }
    case 123: { // { key value ... }
      at += 2;
      const object = {};
      while (text.charCodeAt(at) !== 125) {
        const end = tokenEnd();
        const key = text.slice(at, end);
        at = end + 1;
        object[key] = read();
      }
      at += 2;
      return object;
    }
    default: // u
      at += 2;
      return undefined;
  }
}

/** The report of a field that passes. */
export function no_issues() {
  return { errors: [], warnings: [] };
}

/** A result of the module, from its string. */
export function decode(result) {
  text = result;
  at = 0;
  const value = read();
  text = "";
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

/**
 * A bulk result: its summary (one string, as `decode` reads it), its issues, its payloads. The
 * payloads' objects are made when `payloads` is first read (then kept): a check that a page
 * shows (counts, issues) does not pay for the objects of rows it has not sent yet. The words
 * are copied out of the module's memory, which the next call may reuse.
 */
export function bulkResult(summary, lines, bytes, ends, words, rowWords, file, linesLeftOff) {
  const { route, rows, valid, invalid, kinds, issuesLeftOff, fields: names } = decode(summary);
  const issues = [];
  for (let i = 0; i < lines.length; i += 2) {
    const { field, code, params, message } = kinds[lines[i + 1]];
    issues.push({ line: lines[i], field, code, params: { ...params }, message });
  }
  const result = { route, rows, valid, invalid, issues, issuesLeftOff, linesLeftOff: Array.from(linesLeftOff) };
  if (words.length === 0) {
    result.payloads = [];
    return result;
  }
  const text = utf8.decode(bytes);
  const own = [""];
  for (let i = 1; i < ends.length; i++) own.push(text.substring(ends[i - 1], ends[i]));
  // What the payloads are made of, until they are made (then let go).
  let source = { words: words.slice(), own, file };
  let made;
  // An own, enumerable property that becomes a plain one once read or set: spread, JSON and
  // `postMessage` read it as any other. A result frozen before (immer's, in a store) keeps the
  // accessor, which gives the same array every time.
  const keep = (payloads) => {
    made = payloads;
    source = undefined;
    try {
      Object.defineProperty(result, "payloads", { value: payloads, writable: true, enumerable: true, configurable: true });
    } catch {
      // Frozen: the accessor stays.
    }
    return payloads;
  };
  Object.defineProperty(result, "payloads", {
    get: () => (source ? keep(payloadObjects(route, names, rowWords, source)) : made),
    set: keep,
    enumerable: true,
    configurable: true,
  });
  return result;
}

/** The payload objects of a bulk result, from its words and values (see `bulkResult`). */
function payloadObjects(route, names, rowWords, { words, own, file }) {
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
  return payloads;
}

// A file given to validateCsv as a string, written into the module's memory as UTF-8 by the
// browser's encoder (src/wasm/bulk.rs, `utf8_of`).
const utf8Encoder = new TextEncoder();

/** `text` from its code unit `from` written as UTF-8 into `into`; `done`: the units read, the bytes written. */
export function encodeTextInto(text, from, into, done) {
  const { read, written } = utf8Encoder.encodeInto(from === 0 ? text : text.substring(from), into);
  done[0] = read;
  done[1] = written;
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
