import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  // The package fetches its .wasm next to its own module (`new URL(…, import.meta.url)`): the
  // dev server's dependency pre-bundling would move the module away from it.
  optimizeDeps: { exclude: ["csp-agreements"] },
  build: { target: "es2022" },
});
