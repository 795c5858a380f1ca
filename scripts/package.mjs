// After wasm-pack: adds the custom element to the package (pkg/ or the directory given) and
// completes package.json (files, exports, keywords) so that it is ready for npm.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "pkg";
const root = new URL("../", import.meta.url);
for (const file of ["csp-agreement-confirmation.js", "csp-agreement-confirmation.d.ts"]) {
  copyFileSync(new URL(`js/${file}`, root), join(dir, file));
}
const path = join(dir, "package.json");
const pkg = JSON.parse(readFileSync(path, "utf8"));
const main = pkg.module ?? pkg.main;
pkg.files = [...new Set([...(pkg.files ?? []), "csp-agreement-confirmation.js", "csp-agreement-confirmation.d.ts"])];
pkg.exports = {
  ".": { types: `./${pkg.types}`, default: `./${main}` },
  "./element": { types: "./csp-agreement-confirmation.d.ts", default: "./csp-agreement-confirmation.js" },
  "./csp_agreements_bg.wasm": "./csp_agreements_bg.wasm",
  "./package.json": "./package.json",
};
pkg.sideEffects = [...new Set([...(Array.isArray(pkg.sideEffects) ? pkg.sideEffects : []), "./csp-agreement-confirmation.js", "./snippets/*"])];
writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`${path}: ${pkg.name}@${pkg.version}, exports . and ./element`);
