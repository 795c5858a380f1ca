// What the page's long tables share (the portfolio, the acceptances): a wrapper that scrolls
// sideways on a narrow screen, and the pager under them.

/** `table` in a wrapper that scrolls within itself on a narrow screen. */
export function scrolling(table) {
  const wrapper = document.createElement("div");
  wrapper.className = "table-scroll";
  wrapper.append(table);
  return wrapper;
}

/**
 * "Previous", "Page 3 of 100", "Next" (named `label` for assistive technology). `go(page)` draws
 * that page into `container`; the new pager's label then takes the focus.
 */
export function pager({ t, label, page, pages, go, container }) {
  const nav = document.createElement("nav");
  nav.className = "pager";
  nav.setAttribute("aria-label", label);
  const to = (target) => {
    go(target);
    container.querySelector(".pager .page-label")?.focus();
  };
  const button = (key, target, disabled) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "secondary";
    element.textContent = t(key);
    element.disabled = disabled;
    element.addEventListener("click", () => to(target));
    return element;
  };
  const current = document.createElement("span");
  current.className = "page-label";
  current.tabIndex = -1;
  current.textContent = t("portfolio.page", { page: page + 1, pages });
  nav.append(button("portfolio.previous", page - 1, page === 0), current, button("portfolio.nextPage", page + 1, page >= pages - 1));
  return nav;
}
