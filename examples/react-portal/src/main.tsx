import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

// The portal's own sign-in gives it a token; here, as in the demo, the URL's fragment does (read
// once, then removed from the address bar before anything else is loaded).
const token = new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
if (location.hash) history.replaceState(history.state, "", `${location.pathname}${location.search}`);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App token={token} />
  </StrictMode>,
);
