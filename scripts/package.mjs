// After wasm-pack: completes package.json (files, exports, keywords) so that the package is
// ready for npm. The full package (pkg/ or the directory given) also gets the custom element;
// with --rules (pkg-rules/: no client, no DOM code) it is named csp-agreements-rules and has
// no element, which needs both.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const rules = args.includes("--rules");
const dir = args.find((a) => !a.startsWith("--")) ?? (rules ? "pkg-rules" : "pkg");
const root = new URL("../", import.meta.url);
const element = ["csp-agreement-confirmation.js", "csp-agreement-confirmation.d.ts"];
const path = join(dir, "package.json");
const pkg = JSON.parse(readFileSync(path, "utf8"));
const main = pkg.module ?? pkg.main;
pkg.exports = {
  ".": { types: `./${pkg.types}`, default: `./${main}` },
  "./csp_agreements_bg.wasm": "./csp_agreements_bg.wasm",
  "./package.json": "./package.json",
};
if (rules) {
  pkg.name = `${pkg.name}-rules`;
  pkg.description = `${pkg.description} Rules and form checks only: no Partner Center client, no DOM code.`;
} else {
  for (const file of element) copyFileSync(new URL(`js/${file}`, root), join(dir, file));
  pkg.files = [...new Set([...(pkg.files ?? []), ...element])];
  pkg.exports = {
    ".": pkg.exports["."],
    "./element": { types: "./csp-agreement-confirmation.d.ts", default: "./csp-agreement-confirmation.js" },
    "./csp_agreements_bg.wasm": "./csp_agreements_bg.wasm",
    "./package.json": "./package.json",
  };
  pkg.sideEffects = [...new Set([...(Array.isArray(pkg.sideEffects) ? pkg.sideEffects : []), "./csp-agreement-confirmation.js"])];
}
pkg.sideEffects = [...new Set([...(Array.isArray(pkg.sideEffects) ? pkg.sideEffects : []), "./snippets/*"])];
writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`${path}: ${pkg.name}@${pkg.version}, exports ${Object.keys(pkg.exports).filter((k) => !k.includes(".json") && !k.endsWith(".wasm")).join(" and ")}`);
