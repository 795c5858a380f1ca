// Writes every ```ts and ```tsx block of README.md as a module of the example portal
// (examples/react-portal/src/readme/), so that its strict `tsc` checks the README's examples
// against the package's declarations and React's. Run by the test command before the build.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const dir = new URL("examples/react-portal/src/readme/", root);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
let count = 0;
for (const match of readme.matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)) {
  count += 1;
  const line = readme.slice(0, match.index).split("\n").length;
  writeFileSync(new URL(`example-${count}.${match[1]}`, dir), `// README.md, line ${line}\n${match[2]}export {};\n`);
}
console.log(`${count} examples of README.md written to examples/react-portal/src/readme/`);
