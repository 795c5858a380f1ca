// After wasm-pack: completes package.json (files, exports, keywords) so that the package is
// ready for npm. The full package (pkg/ or the directory given) also gets the custom element;
// with --rules (pkg-rules/: no client, no DOM code) it is named csp-agreements-rules and has
// no element, which needs both.
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const rules = args.includes("--rules");
const dir = args.find((a) => !a.startsWith("--")) ?? (rules ? "pkg-rules" : "pkg");
const element = rules ? [] : ["csp-agreement-confirmation.js", "csp-agreement-confirmation.d.ts", "ui.js"];
// The ledger of attestations (AttestationLedger and its stores). ledger.d.ts is not copied: it
// is written from ledger.js's JSDoc, below.
const ledger = rules ? [] : ["ledger.js", "ledger.d.ts"];
// The Web Worker that checks a large file with CsvValidator (the full package has it), and the
// module of the file checks it loads (`./bulk`: validateCsv, validateRows, CsvValidator).
const worker = rules ? [] : ["csv-worker.js"];
const bulk = rules ? [] : ["bulk/csp_agreements.js", "bulk/csp_agreements.d.ts", "bulk/csp_agreements_bg.wasm", "bulk/snippets/"];
// The rules with attachValidation alone (`./form`): a portal's own form, sent through its own
// backend, without the client or the element.
const form = rules ? [] : ["form/csp_agreements.js", "form/csp_agreements.d.ts", "form/csp_agreements_bg.wasm", "form/snippets/"];
// The element's JSX typings for React 19 (types only; react.js is empty), written below from
// the element's declarations.
const react = rules ? [] : ["react.js", "react.d.ts"];
// The modules typed by their JSDoc (`// @ts-check`): their declarations are written, not copied.
const typed = rules ? [] : ["ledger.js", "csp-agreement-confirmation.js"];
const written = new Set(typed.map((file) => file.replace(/\.js$/, ".d.ts")));
for (const file of [...element, ...worker, ...ledger].filter((file) => !written.has(file))) {
  copyFileSync(new URL(`../js/${file}`, import.meta.url), join(dir, file));
}
// The declarations of the JavaScript modules typed by their JSDoc, checked (strict) and written
// by TypeScript, against the module's own declarations. The modules they import without being
// typed (ui.js) are read for their types, not checked, and their declarations not kept.
if (typed.length) {
  const tsc = new URL("../node_modules/.bin/tsc", import.meta.url).pathname;
  const out = mkdtempSync(join(tmpdir(), "csp-types-"));
  try {
    execFileSync(tsc, [
      "--allowJs", "--strict", "--declaration", "--emitDeclarationOnly",
      "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--lib", "es2022,dom,esnext.disposable", "--outDir", out, ...typed.map((file) => join(dir, file)),
    ], { stdio: "inherit" });
    for (const file of written) copyFileSync(join(out, file), join(dir, file));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  // The tag's entry in the DOM's map of elements (`document.createElement` and `querySelector`
  // then know the class): a global augmentation, which JSDoc cannot write.
  const tag = readFileSync(join(dir, element[0]), "utf8").match(/customElements\.define\("([a-z-]+)", (\w+)\)/);
  if (!tag) throw new Error(`${element[0]}: no customElements.define("…", Class) to declare`);
  const [, name, type] = tag;
  appendFileSync(join(dir, element[1]), `\ndeclare global {\n  interface HTMLElementTagNameMap {\n    "${name}": ${type};\n  }\n}\n`);
  // React's JSX namespace, another global augmentation: the tag's props are its attributes, the
  // properties no attribute can hold and a handler `on<event-name>` per event (React 19 sets the
  // properties an element has, attributes otherwise, and listens to `on<event-name>` props on
  // custom elements, the event's name as written), each read from the element's declarations
  // (`<Class>Attributes`, `<Class>Properties`, `<Class>Events`), none listed here.
  const declared = readFileSync(join(dir, element[1]), "utf8");
  const types = ["Attributes", "Properties", "Events"].map((kind) => `${type}${kind}`);
  for (const t of types) {
    if (!new RegExp(`\\b(type|interface) ${t}\\b`).test(declared)) throw new Error(`${element[1]}: no type ${t} to map into JSX`);
  }
  const [attributes, properties, events] = types;
  const module = `./${element[0]}`;
  writeFileSync(join(dir, react[1]), [
    `// JSX typings of <${name}> for React 19 (types only), written by the package's build`,
    `// from the element's declarations (${element[1]}): its attributes, the properties`,
    `// no attribute can hold, and a handler \`on<event-name>\` per event. Import once, anywhere:`,
    `//   import type {} from "csp-agreements/react";`,
    `import type { DetailedHTMLProps, HTMLAttributes } from "react";`,
    `import type { ${[type, ...types].join(", ")} } from "${module}";`,
    ``,
    `/** The element's props in JSX: its attributes, its properties, its events. */`,
    `export type ${type}Props =`,
    `  & DetailedHTMLProps<HTMLAttributes<${type}>, ${type}>`,
    `  & ${attributes}`,
    `  & Partial<${properties}>`,
    `  & { [E in keyof ${events} as \`on\${E}\`]?: (event: ${events}[E]) => void };`,
    ``,
    `declare module "react" {`,
    `  namespace JSX {`,
    `    interface IntrinsicElements {`,
    `      "${name}": ${type}Props;`,
    `    }`,
    `  }`,
    `}`,
    ``,
  ].join("\n"));
  writeFileSync(join(dir, react[0]), `// The JSX typings of <${name}> are in ${react[1]}; this module has no code.\nexport {};\n`);
}
// The QR encoder of the acceptance links (npm uqr, MIT), loaded by ui.js on first use only.
const qr = rules ? [] : ["qr.js"];
if (!rules) {
  const uqr = new URL("../node_modules/uqr/", import.meta.url);
  const version = JSON.parse(readFileSync(new URL("package.json", uqr), "utf8")).version;
  const license = readFileSync(new URL("LICENSE", uqr), "utf8").trim().replace(/\*\//g, "* /");
  const source = readFileSync(new URL("dist/index.mjs", uqr), "utf8");
  writeFileSync(join(dir, "qr.js"), `/* uqr ${version} (https://github.com/unjs/uqr)\n${license}\n*/\n${source}`);
}

const path = join(dir, "package.json");
const pkg = JSON.parse(readFileSync(path, "utf8"));
const union = (list, added) => [...new Set([...(Array.isArray(list) ? list : []), ...added])];
if (rules) {
  pkg.name = `${pkg.name}-rules`;
  pkg.description = `${pkg.description} Rules and form checks only: no Partner Center client, no DOM code.`;
}
pkg.files = union(pkg.files, [...element, ...worker, ...bulk, ...form, ...qr, ...ledger, ...react]);
pkg.exports = {
  ".": { types: `./${pkg.types}`, default: `./${pkg.module ?? pkg.main}` },
  ...(rules ? {} : {
    "./element": { types: `./${element[1]}`, default: `./${element[0]}` },
    "./ledger": { types: `./${ledger[1]}`, default: `./${ledger[0]}` },
    "./react": { types: `./${react[1]}`, default: `./${react[0]}` },
    "./bulk": { types: `./${bulk[1]}`, default: `./${bulk[0]}` },
    "./bulk/csp_agreements_bg.wasm": `./${bulk[2]}`,
    "./form": { types: `./${form[1]}`, default: `./${form[0]}` },
    "./form/csp_agreements_bg.wasm": `./${form[2]}`,
    "./csv-worker.js": `./${worker[0]}`,
  }),
  "./csp_agreements_bg.wasm": "./csp_agreements_bg.wasm",
  "./package.json": "./package.json",
};
pkg.sideEffects = union(pkg.sideEffects, [...(rules ? [] : [`./${element[0]}`, "./bulk/snippets/*", "./form/snippets/*"]), "./snippets/*"]);
writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`${path}: ${pkg.name}@${pkg.version}, exports ${rules ? "." : "., ./bulk, ./form, ./element, ./ledger and ./react"}`);
