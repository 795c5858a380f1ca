// The timeline drawn as SVG: the three periods, the milestones, and the chosen date marked.
const SVG = "http://www.w3.org/2000/svg";
const DAY = 86_400_000;

function node(name, attributes = {}, textContent) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (textContent !== undefined) element.textContent = textContent;
  return element;
}

const time = (iso) => Date.parse(`${iso}T00:00:00Z`);

/**
 * Draws `milestones` (from the wasm `timeline()`) into `svg`, with `date` (YYYY-MM-DD) marked.
 * `formatDate` writes a date for people; `texts` gives the title and description.
 */
export function drawTimeline(svg, milestones, date, formatDate, texts) {
  svg.replaceChildren();
  const width = 800;
  const left = 30;
  const right = width - 30;
  const axisY = 95;
  const first = time(milestones[0].date);
  const last = time(milestones[milestones.length - 1].date);
  const start = first - 31 * DAY;
  const end = last + 62 * DAY;
  const x = (t) => left + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (right - left);

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
  svg.append(node("line", { class: "axis", x1: left, y1: axisY, x2: right, y2: axisY }));

  milestones.forEach((milestone, index) => {
    const mx = x(time(milestone.date));
    const sandbox = milestone.environment === "sandbox";
    svg.append(node("line", { class: sandbox ? "tick tick-sandbox" : "tick", x1: mx, y1: axisY - 24, x2: mx, y2: axisY + 24 }));
    // Labels alternate above and below so that close milestones do not overlap.
    const y = [20, 140, 38, 158][index % 4];
    const anchor = mx < 80 ? "start" : mx > width - 80 ? "end" : "middle";
    svg.append(node("text", { x: mx, y, "text-anchor": anchor }, formatDate(milestone.date)));
  });

  const t = time(date);
  const mx = x(t);
  const outside = t < start ? "← " : t > end ? "→ " : "";
  svg.append(node("line", { class: "marker", x1: mx, y1: axisY - 34, x2: mx, y2: axisY + 34 }));
  const anchor = mx < 120 ? "start" : mx > width - 120 ? "end" : "middle";
  svg.append(node("text", { class: "marker-label", x: mx, y: axisY - 38, "text-anchor": anchor }, `${outside}${formatDate(date)}`));
}
