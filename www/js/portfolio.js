// The Portfolio tab: every customer of the partner, as Partner Center pages them, each one's
// standing today (the client's `portfolio`: no request that is not needed, fewer at once while
// Partner Center throttles), merged with the ledger; a progress bar, Cancel, rows shown as they
// arrive, a table a page of rows at a time, sorted, exported for a spreadsheet.
import { csvOf } from "/pkg/csp_agreements.js";
import * as ui from "/pkg/ui.js";
import { pager, scrolling } from "./tables.js";

/** Rows shown at once: a long portfolio is read a page at a time, never drawn whole. */
const PAGE_ROWS = 100;
/** While customers arrive, the table is drawn again at most this often (the counts each frame). */
const TABLE_EVERY_MS = 700;
const CONCURRENCY = 6;

/**
 * Sets up the tab. `page` gives what the page shares: `$`, `t`, `plural`, `client()`,
 * `checkOptions()`, `status()`, `countryName(code)`, `locale()`, `openCustomer(id)`.
 */
export function setUpPortfolio(page) {
  const { $, t } = page;
  const COLUMNS = [
    ["company", (r) => r.companyName],
    ["country", (r) => page.countryName(r.country)],
    ["orderable", (r) => (r.orderable === undefined ? "" : r.orderable ? t("yes") : t("no"))],
    ["next", (r) => (r.error ? t("portfolio.failed", { message: r.message }) : r.message)],
    ["latest", (r) => r.latestAttestation ?? ""],
    ["direct", (r) => (r.directAcceptance === undefined ? "" : r.directAcceptance ? t("yes") : t("no"))],
    ["id", (r) => r.customerId],
  ];
  const view = { rows: [], sorted: null, sort: "blockers", ascending: true, page: 0, scan: null, drawQueued: false, drawnAt: 0 };
  const load = $("#portfolio-load");
  const cancel = $("#portfolio-cancel");
  const exportButton = $("#portfolio-export");
  const progress = $("#portfolio-progress");
  const bar = $("#portfolio-bar");
  const counts = $("#portfolio-counts");

  load.addEventListener("click", () => {
    if (view.scan && !view.scan.progress().finished) return;
    view.rows = [];
    view.sorted = null;
    view.page = 0;
    load.disabled = true;
    cancel.hidden = false;
    exportButton.disabled = true;
    progress.hidden = false;
    page.status(t("loading"));
    const scan = page.client().portfolio({ ...page.checkOptions(), concurrency: CONCURRENCY, onChange: () => queueDraw() });
    view.scan = scan;
    scan.finished().then(() => {
      take();
      load.disabled = false;
      cancel.hidden = true;
      exportButton.disabled = view.rows.length === 0;
      page.status("");
      draw();
    });
  });
  cancel.addEventListener("click", () => view.scan?.cancel());
  exportButton.addEventListener("click", () => {
    const rows = [COLUMNS.map(([key]) => t(`portfolio.${key}`)), ...sorted().map((row) => COLUMNS.map(([, value]) => value(row)))];
    ui.download(t("portfolio.file"), ui.spreadsheet(rows, page.locale(), csvOf), "text/csv;charset=utf-8");
  });

  /** The rows read since the last time: one crossing, however many. */
  function take() {
    const fresh = view.scan?.takeRows() ?? [];
    if (fresh.length) {
      view.rows.push(...fresh);
      view.sorted = null;
    }
  }

  /** Redraws at the next frame, whatever the number of changes before it. */
  function queueDraw() {
    if (view.drawQueued) return;
    view.drawQueued = true;
    requestAnimationFrame(() => {
      view.drawQueued = false;
      take();
      draw();
    });
  }

  /** Who blocks the next order first (unread ones too), then by company. */
  function blockersFirst(collator) {
    const rank = (r) => (r.orderable === undefined ? 1 : r.orderable ? 2 : 0);
    return (a, b) => rank(a) - rank(b) || collator.compare(a.companyName, b.companyName);
  }

  function sorted() {
    if (view.sorted) return view.sorted;
    const collator = new Intl.Collator(page.locale());
    const rows = [...view.rows];
    const blockers = blockersFirst(collator);
    if (view.sort === "blockers") rows.sort(blockers);
    else {
      const value = COLUMNS.find(([key]) => key === view.sort)[1];
      const direction = view.ascending ? 1 : -1;
      rows.sort((a, b) => direction * collator.compare(String(value(a)), String(value(b))) || blockers(a, b));
    }
    view.sorted = rows;
    return rows;
  }

  function draw() {
    const p = view.scan?.progress();
    if (p) {
      const total = p.totalCount ?? p.found;
      bar.max = Math.max(1, total);
      bar.value = p.read;
      bar.setAttribute("aria-valuetext", t("portfolio.progress", { read: p.read, total }));
      const parts = [page.plural("portfolio.read", p.read, { total })];
      if (p.failed) parts.push(page.plural("portfolio.readFailed", p.failed));
      if (p.pageError) parts.push(t("portfolio.pagesStopped", { message: p.pageErrorMessage }));
      if (p.cancelled) parts.push(p.finished ? t("portfolio.cancelled") : t("portfolio.cancelling"));
      else if (p.finished) parts.push(t("portfolio.finished", { requests: p.requests }));
      counts.textContent = parts.join(" ");
      // Sorting and drawing the table each frame would take the time the requests need.
      if (!p.finished && performance.now() - view.drawnAt < TABLE_EVERY_MS) return;
    }
    view.drawnAt = performance.now();
    render();
  }

  function render() {
    const output = $("#portfolio");
    output.replaceChildren();
    if (!view.rows.length) {
      if (view.scan?.progress().finished) output.textContent = t("portfolio.none");
      return;
    }
    const rows = sorted();
    const pages = Math.ceil(rows.length / PAGE_ROWS);
    view.page = Math.min(view.page, pages - 1);
    const shown = rows.slice(view.page * PAGE_ROWS, (view.page + 1) * PAGE_ROWS);
    const table = document.createElement("table");
    const caption = document.createElement("caption");
    const sortName = view.sort === "blockers" ? t("portfolio.next") : t(`portfolio.${view.sort}`);
    caption.textContent = page.plural("portfolio.caption", rows.length, { column: sortName });
    const head = document.createElement("tr");
    for (const [key] of COLUMNS) {
      const th = document.createElement("th");
      th.scope = "col";
      const current = view.sort === key;
      th.setAttribute("aria-sort", current ? (view.ascending ? "ascending" : "descending") : "none");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = t(`portfolio.${key}`);
      button.title = t("portfolio.sort", { column: t(`portfolio.${key}`) });
      button.addEventListener("click", () => {
        view.ascending = current ? !view.ascending : true;
        view.sort = key;
        view.sorted = null;
        view.page = 0;
        render();
        $(`#portfolio th:nth-child(${COLUMNS.findIndex(([k]) => k === key) + 1}) button`).focus();
      });
      th.append(button);
      head.append(th);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    const body = document.createElement("tbody");
    for (const row of shown) {
      const tr = document.createElement("tr");
      for (const [key, value] of COLUMNS) {
        const cell = document.createElement(key === "company" ? "th" : "td");
        if (key === "company") cell.scope = "row";
        cell.textContent = value(row);
        if (key === "orderable" && row.orderable !== undefined) cell.className = row.orderable ? "allowed" : "refused";
        tr.append(cell);
      }
      body.append(tr);
    }
    table.append(caption, thead, body);
    output.append(scrolling(table));
    if (pages > 1) {
      output.append(pager({ t, label: t("portfolio.pages"), page: view.page, pages, container: output, go: (to) => {
        view.page = to;
        render();
      } }));
    }
  }

  return {
    /** Redraws in the page's language. */
    refresh() {
      view.sorted = null;
      draw();
    },
  };
}
