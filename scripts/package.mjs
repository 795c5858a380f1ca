// After wasm-pack: completes package.json (files, exports, keywords) so that the package is
// ready for npm. The full package (pkg/ or the directory given) also gets the custom element;
// with --rules (pkg-rules/: no client, no DOM code) it is named csp-agreements-rules and has
// no element, which needs both.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const rules = args.includes("--rules");
const dir = args.find((a) => !a.startsWith("--")) ?? (rules ? "pkg-rules" : "pkg");
const element = rules ? [] : ["csp-agreement-confirmation.js", "csp-agreement-confirmation.d.ts", "ui.js"];
for (const file of element) copyFileSync(new URL(`../js/${file}`, import.meta.url), join(dir, file));

const path = join(dir, "package.json");
const pkg = JSON.parse(readFileSync(path, "utf8"));
const union = (list, added) => [...new Set([...(Array.isArray(list) ? list : []), ...added])];
if (rules) {
  pkg.name = `${pkg.name}-rules`;
  pkg.description = `${pkg.description} Rules and form checks only: no Partner Center client, no DOM code.`;
}
pkg.files = union(pkg.files, element);
pkg.exports = {
  ".": { types: `./${pkg.types}`, default: `./${pkg.module ?? pkg.main}` },
  ...(rules ? {} : { "./element": { types: `./${element[1]}`, default: `./${element[0]}` } }),
  "./csp_agreements_bg.wasm": "./csp_agreements_bg.wasm",
  "./package.json": "./package.json",
};
pkg.sideEffects = union(pkg.sideEffects, [...(rules ? [] : [`./${element[0]}`]), "./snippets/*"]);
writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`${path}: ${pkg.name}@${pkg.version}, exports ${rules ? "." : ". and ./element"}`);
