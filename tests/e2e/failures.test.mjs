// When things go wrong: an element given a bad attribute, a promise that rejects in the middle
// of a submission, and the token of the demo URL, which must not stay in the address bar.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, CUSTOMERS, launch, openPage, startSandbox, TOKEN } from "./harness.mjs";

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox({ today: "2019-11-20" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Makes every confirm() of the page's client reject, as an unforeseen failure would. */
const rejectConfirm = (page) =>
  page.evaluate(async () => {
    const { PartnerCenterClient } = await import("/pkg/csp_agreements.js");
    PartnerCenterClient.prototype.confirm = () => Promise.reject(new Error("the relay closed the stream"));
  });

/** A valid confirmation, typed into the fields of `scope` (the page's panel or the element). */
async function fillValid(scope) {
  await scope.getByLabel("First name").fill("Tania");
  await scope.getByLabel("Last name").fill("Carr");
  await scope.getByLabel("Email address").fill("someone@example.com");
  await scope.getByLabel("Date of acceptance of the agreement").fill("2019-11-14");
}

for (const [attribute, value] of [["summary-heading-level", "1"], ["environment", "Production"], ["today", "2020-02-30"]]) {
  test(`an element with ${attribute}="${value}" says so and never submits natively`, async () => {
    const page = await openPage(browser, sandbox, { path: "/embed.html" });
    const url = page.url();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.evaluate(([name, v, id]) => {
      const element = document.createElement("csp-agreement-confirmation");
      element.id = "broken";
      element.setAttribute("customer-id", id);
      element.setAttribute(name, v);
      document.querySelector("main").prepend(element);
    }, [attribute, value, CUSTOMERS.US]);
    const element = page.locator("#broken");
    const notice = element.getByRole("alert").filter({ hasText: "This form cannot be used" });
    await notice.waitFor();
    await element.getByLabel("First name").fill("Tania");
    await element.getByLabel("Email address").fill("someone@example.com");
    // The element's day is the clock's: its button is named for the route of that day.
    await element.getByRole("button", { name: /^(Save|Create the acceptance link)$/ }).click();
    await element.getByLabel("Last name").press("Enter");
    await page.waitForTimeout(200);
    assert.equal(page.url(), url, "no navigation");
    assert.deepEqual(requests.filter((r) => r.includes("firstName") || r.includes("/v1/")), [], "nothing typed left the page");
    assert.ok(await notice.isVisible());
    await assertClean(page);
    await page.context().close();
  });
}

test("a rejected confirmation leaves the page usable: a message, the button back, the values kept", async () => {
  const page = await openPage(browser, sandbox, { path: "/?today=2019-11-20" });
  await page.getByRole("tab", { name: "Existing customer" }).click();
  const panel = page.getByRole("tabpanel", { name: "Existing customer" });
  await panel.getByLabel("Search customers").fill("Northwind");
  await panel.getByRole("button", { name: "Search", exact: true }).click();
  await panel.getByRole("button", { name: /Northwind/ }).click();
  await panel.getByRole("button", { name: "Update", exact: true }).click();
  await fillValid(panel);
  await rejectConfirm(page);
  const save = panel.getByRole("button", { name: "Save", exact: true });
  await save.click();
  await panel.getByRole("alert").filter({ hasText: "the relay closed the stream" }).waitFor();
  assert.match(await panel.getByRole("alert").filter({ hasText: "the relay closed" }).innerText(), /What you typed is kept/);
  assert.equal(await save.isEnabled(), true);
  assert.doesNotMatch(await page.locator("#status").innerText(), /Sending/);
  assert.equal(await panel.getByLabel("First name").inputValue(), "Tania");
  await assertClean(page);
  await page.context().close();
});

test("a rejected confirmation in the element: a message, an event, the button back", async () => {
  const page = await openPage(browser, sandbox, { path: "/embed.html?today=2019-11-20" });
  const element = page.locator("csp-agreement-confirmation");
  await fillValid(element);
  await rejectConfirm(page);
  const save = element.getByRole("button", { name: "Save", exact: true });
  await save.click();
  await element.getByRole("alert").filter({ hasText: "the relay closed the stream" }).waitFor();
  assert.equal(await save.isEnabled(), true);
  const failed = await page.evaluate(() => window.__events.filter((e) => e.type === "confirmation-failed").map((e) => e.detail));
  assert.equal(failed.length, 1);
  assert.equal(failed[0].error.code, "unexpected");
  await assertClean(page);
  await page.context().close();
});

test("the token leaves the address bar as soon as the page has read it", async () => {
  for (const path of ["/", "/embed.html"]) {
    const page = await openPage(browser, sandbox, { path });
    assert.doesNotMatch(page.url(), /token/, path);
    const history = await page.evaluate(() => location.href + JSON.stringify(history.state));
    assert.doesNotMatch(history, /e2e-token/);
    await page.context().close();
  }
  // Even when the module cannot be loaded (a slow or broken deployment), the token is gone.
  for (const path of ["/", "/embed.html"]) {
    const context = await browser.newContext();
    await context.route(/\/pkg\/csp_agreements(_bg\.wasm|\.js)$/, (route) => route.fulfill({ status: 503, body: "" }));
    const page = await context.newPage();
    await page.goto(`${sandbox.url}${path}#token=${TOKEN}`);
    await page.waitForLoadState("load");
    assert.doesNotMatch(page.url(), /token/, `${path}, the module not loaded`);
    assert.doesNotMatch(await page.evaluate(() => location.href + JSON.stringify(history.state)), /e2e-token/);
    await context.close();
  }
  // The page still holds it: a search goes through.
  const page = await openPage(browser, sandbox, { path: "/" });
  await page.getByRole("tab", { name: "Existing customer" }).click();
  const panel = page.getByRole("tabpanel", { name: "Existing customer" });
  await panel.getByLabel("Search customers").fill("Contoso");
  await panel.getByRole("button", { name: "Search", exact: true }).click();
  await panel.getByRole("button", { name: /Contoso/ }).waitFor();
  await assertClean(page);
  await page.context().close();
});
