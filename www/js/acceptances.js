// The Acceptances tab: every attestation of the ledger (sent from any tab, browser or file, by
// anyone of the team), counted as Partner Center's dashboards count them (waiting, accepted,
// expired, recorded, unknown), with "Check all" and "Complete all accepted" (the client's
// `sweep`: a few at once, fewer while Partner Center throttles, a progress bar, Cancel).
import { csvOf } from "/pkg/csp_agreements.js";
import * as ui from "/pkg/ui.js";
import { pager, scrolling } from "./tables.js";

const CONCURRENCY = 4;
/** Rows shown at once. */
const PAGE_ROWS = 100;

/**
 * Sets up the tab. `page` gives what the page shares: `$`, `t`, `plural`, `client()`, `ledger`,
 * `view()` (the ledger's records with what they mean today, and the counts), `checkOptions()`,
 * `status()`, `locale()`, `openCustomer(id)`, `openCustomerForm(id)`, `loadLedger()`.
 */
export function setUpAcceptances(page) {
  const { $, t } = page;
  const view = { sweep: null, drawQueued: false, page: 0 };
  const checkAll = $("#acceptances-check");
  const completeAll = $("#acceptances-complete");
  const cancel = $("#acceptances-cancel");
  const reload = $("#acceptances-reload");
  const progress = $("#acceptances-progress");
  const bar = $("#acceptances-bar");
  const said = $("#acceptances-said");

  page.ledger.subscribe(() => queueDraw());
  reload.addEventListener("click", async () => {
    reload.disabled = true;
    await page.loadLedger();
    reload.disabled = false;
    draw();
  });
  checkAll.addEventListener("click", () => run("check"));
  completeAll.addEventListener("click", () => run("complete"));
  cancel.addEventListener("click", () => view.sweep?.cancel());
  $("#acceptances-export").addEventListener("click", () => {
    const { items } = page.view();
    const rows = [
      ["company", "id", "attestation", "status", "sent", "expires", "next"].map((k) => t(`acceptances.column.${k}`)),
      ...items.map((i) => [i.record.companyName ?? "", i.record.customerId, i.record.attestationId, ui.statusText(page.locale(), i), i.record.createdAt, i.record.expiresAt ?? "", t(`acceptances.next.${i.next}`)]),
    ];
    ui.download(t("acceptances.file"), ui.spreadsheet(rows, page.locale(), csvOf), "text/csv;charset=utf-8");
  });

  /** Checks every attestation that still stands, or completes every accepted one. */
  function run(action) {
    if (view.sweep && !view.sweep.progress().finished) return;
    const { items } = page.view();
    const work = items
      .filter((i) => (action === "check" ? i.live || i.next === "check" : i.next === "complete"))
      .map((i) => i.record);
    if (!work.length) {
      page.status(t(action === "check" ? "acceptances.nothingToCheck" : "acceptances.nothingToComplete"));
      return;
    }
    const options = page.checkOptions();
    const sweep = page.client().sweep(work, { action, concurrency: CONCURRENCY, utcToday: options.utcToday, onChange: () => queueDraw() });
    view.sweep = sweep;
    view.action = action;
    progress.hidden = false;
    cancel.hidden = false;
    checkAll.disabled = true;
    completeAll.disabled = true;
    sweep.finished().then((last) => {
      cancel.hidden = true;
      checkAll.disabled = false;
      completeAll.disabled = false;
      const failed = sweep.results().filter((r) => r.outcome === "failed" || r.outcome === "refused");
      const summary = action === "check"
        ? page.plural("acceptances.checked", last.done, { accepted: last.accepted })
        : page.plural("acceptances.completed", last.completed);
      page.status([summary, failed.length ? page.plural("acceptances.failed", failed.length, { message: failed[0].message ?? "" }) : ""].join(" ").trim());
      draw();
    });
    draw();
  }

  function queueDraw() {
    if (view.drawQueued) return;
    view.drawQueued = true;
    requestAnimationFrame(() => {
      view.drawQueued = false;
      draw();
    });
  }

  function draw() {
    const { items, counts } = page.view();
    $("#acceptances-counts").textContent = ["waiting", "accepted", "expired", "recorded", "unknown"]
      .map((key) => t(`acceptances.count.${key}`, { count: counts[key] }))
      .join(" · ");
    const p = view.sweep?.progress();
    if (p) {
      bar.max = Math.max(1, p.total);
      bar.value = p.done;
      bar.setAttribute("aria-valuetext", t("acceptances.progress", { done: p.done, total: p.total }));
      const running = !p.finished;
      said.textContent = running
        ? t(p.cancelled ? "acceptances.cancelling" : view.action === "check" ? "acceptances.checking" : "acceptances.completing", { done: p.done, total: p.total })
        : p.cancelled ? t("acceptances.cancelled", { done: p.done, total: p.total }) : "";
    }
    renderList(items);
  }

  function renderList(items) {
    const output = $("#acceptances-list");
    output.replaceChildren();
    if (!items.length) {
      output.textContent = t("acceptances.none");
      return;
    }
    const pages = Math.ceil(items.length / PAGE_ROWS);
    view.page = Math.min(view.page, pages - 1);
    const table = document.createElement("table");
    const caption = document.createElement("caption");
    caption.textContent = page.plural("acceptances.caption", items.length);
    const head = document.createElement("tr");
    for (const key of ["company", "status", "sent", "expires", "next", "action"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = t(`acceptances.column.${key}`);
      head.append(th);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    const body = document.createElement("tbody");
    const locale = page.locale();
    for (const item of items.slice(view.page * PAGE_ROWS, (view.page + 1) * PAGE_ROWS)) {
      const r = item.record;
      const tr = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = r.companyName ?? r.customerId;
      tr.append(name);
      for (const value of [
        ui.statusText(locale, item),
        ui.longDate(r.createdAt, locale),
        r.expiresAt ? ui.longDate(r.expiresAt, locale) : "",
        t(`acceptances.next.${item.next}`),
      ]) {
        const td = document.createElement("td");
        td.textContent = value;
        tr.append(td);
      }
      const actions = document.createElement("td");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "secondary";
      const again = item.next === "send-again";
      open.textContent = t(again ? "acceptances.sendAgain" : "acceptances.open");
      open.setAttribute("aria-label", t(again ? "acceptances.sendAgainFor" : "acceptances.openFor", { company: r.companyName ?? r.customerId }));
      open.addEventListener("click", () => (again ? page.openCustomerForm(r.customerId) : page.openCustomer(r.customerId)));
      actions.append(open);
      tr.append(actions);
      body.append(tr);
    }
    table.append(caption, thead, body);
    output.append(scrolling(table));
    if (pages > 1) {
      output.append(pager({ t, label: t("acceptances.pages"), page: view.page, pages, container: output, go: (to) => {
        view.page = to;
        renderList(page.view().items);
      } }));
    }
  }

  return {
    /** Redraws (the page's language changed, or the tab was shown). */
    refresh: draw,
  };
}
