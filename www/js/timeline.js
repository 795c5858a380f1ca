// The timeline drawn as SVG: the three periods, the milestones, and the chosen date marked.
// Milestones more than a year apart fall into separate panels with a scale break between them
// (2019–2020 and 2023–2026 would otherwise crowd the first years into a corner).
const SVG = "http://www.w3.org/2000/svg";
const DAY = 86_400_000;

function node(name, attributes = {}, textContent) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (textContent !== undefined) element.textContent = textContent;
  return element;
}

const time = (iso) => Date.parse(`${iso}T00:00:00Z`);
const BREAK_AFTER = 365 * DAY;
const PANEL_GAP = 24;

/**
 * The x of a time, piecewise: one panel per run of milestones without a year-long gap, each
 * as wide as its span (padded), the gaps between them drawn as breaks.
 */
function scale(times, left, right) {
  const panels = [];
  for (const t of times) {
    const panel = panels.at(-1);
    if (panel && t - panel.to <= BREAK_AFTER) panel.to = t;
    else panels.push({ from: t, to: t });
  }
  for (const panel of panels) {
    panel.from -= 31 * DAY;
    panel.to += 62 * DAY;
  }
  const span = panels.reduce((sum, p) => sum + (p.to - p.from), 0);
  const usable = right - left - PANEL_GAP * (panels.length - 1);
  let at = left;
  for (const panel of panels) {
    panel.x0 = at;
    panel.x1 = at + ((panel.to - panel.from) / span) * usable;
    at = panel.x1 + PANEL_GAP;
  }
  const x = (t) => {
    for (const [i, p] of panels.entries()) {
      if (t <= p.to || i === panels.length - 1) {
        if (t < p.from) return i === 0 ? p.x0 : p.x0 - PANEL_GAP / 2;
        return p.x0 + ((Math.min(t, p.to) - p.from) / (p.to - p.from)) * (p.x1 - p.x0);
      }
    }
    return right;
  };
  return { x, panels, start: panels[0].from, end: panels.at(-1).to };
}

/**
 * Draws `milestones` (from the wasm `timeline()`) into `svg`, with `date` (YYYY-MM-DD) marked.
 * `formatDate(date, style)` writes a date for people (the axis's labels in the short "medium"
 * style, the chosen date in full); `texts` gives the title and description.
 */
export function drawTimeline(svg, milestones, date, formatDate, texts) {
  svg.replaceChildren();
  const width = 800;
  const left = 30;
  const right = width - 30;
  const axisY = 95;
  const times = milestones.map((m) => time(m.date)).sort((a, b) => a - b);
  const { x, panels, start, end } = scale(times, left, right);

  svg.append(node("title", { id: "timeline-svg-title" }, texts.title));
  svg.append(node("desc", { id: "timeline-svg-desc" }, texts.description));

  const production = milestones.find((m) => m.id === "production-available");
  const retired = milestones.find((m) => m.id === "cloud-agreement-retired");
  const periods = [
    ["period-cloud", start, time(production.date)],
    ["period-transition", time(production.date), time(retired.date) + DAY],
    ["period-mcua", time(retired.date) + DAY, end],
  ];
  for (const [name, from, to] of periods) {
    svg.append(node("rect", { class: name, x: x(from), y: axisY - 18, width: Math.max(0, x(to) - x(from)), height: 36 }));
  }
  for (const panel of panels) {
    svg.append(node("line", { class: "axis", x1: panel.x0, y1: axisY, x2: panel.x1, y2: axisY }));
  }
  // The breaks: two slanted strokes in each gap between panels.
  for (const panel of panels.slice(1)) {
    for (const dx of [-PANEL_GAP / 2 - 3, -PANEL_GAP / 2 + 3]) {
      const bx = panel.x0 + dx;
      svg.append(node("line", { class: "axis-break", x1: bx - 4, y1: axisY + 22, x2: bx + 4, y2: axisY - 22 }));
    }
  }

  milestones.forEach((milestone, index) => {
    const mx = x(time(milestone.date));
    const sandbox = milestone.environment === "sandbox";
    svg.append(node("line", { class: sandbox ? "tick tick-sandbox" : "tick", x1: mx, y1: axisY - 24, x2: mx, y2: axisY + 24 }));
    // Labels alternate above and below so that close milestones do not overlap.
    const y = [20, 140, 38, 158][index % 4];
    const anchor = mx < 80 ? "start" : mx > width - 80 ? "end" : "middle";
    svg.append(node("text", { x: mx, y, "text-anchor": anchor }, formatDate(milestone.date, "medium")));
  });

  const t = time(date);
  const mx = x(t);
  const outside = t < start ? "← " : t > end ? "→ " : "";
  svg.append(node("line", { class: "marker", x1: mx, y1: axisY - 34, x2: mx, y2: axisY + 34 }));
  const anchor = mx < 120 ? "start" : mx > width - 120 ? "end" : "middle";
  svg.append(node("text", { class: "marker-label", x: mx, y: axisY - 38, "text-anchor": anchor }, `${outside}${formatDate(date)}`));
}
