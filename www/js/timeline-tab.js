// The "Timeline" tab: the transition's milestones drawn, whether the Cloud Agreement is
// acceptable on a chosen day, and what the order gate says with the confirmations ticked.

import { drawTimeline } from "./timeline.js";

/**
 * Sets up the tab. `page` gives what the page shares (see `app.js`); returns `render()`, which
 * draws it again (for the day or the language chosen).
 */
export function setUpTimelineTab(page) {
  const { $, $$, t, state, checkOptions, formatDate, today, timeline, agreementStatus, gateRows, todayOverride } = page;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

  const timelineDate = $("#timeline-date");
  timelineDate.value = todayOverride() ?? today(checkOptions()).local;
  for (const input of $$("#timeline-form input")) input.addEventListener("input", renderTimeline);
  $("#timeline-form").addEventListener("submit", (event) => event.preventDefault());

  function renderTimeline() {
    const date = ISO_DATE.test(timelineDate.value) ? timelineDate.value : today(checkOptions()).local;
    const milestones = timeline(undefined, state.locale);
    drawTimeline($("#timeline-svg"), milestones, date, (d, style) => formatDate(d, style), {
      title: t("timeline.svgTitle"),
      description: t("timeline.svgDesc", { first: formatDate(milestones[0].date), last: formatDate(milestones.at(-1).date), date: formatDate(date) }),
    });
    $("#timeline-caption").textContent = t("timeline.caption");
    const status_ = agreementStatus("MicrosoftCloudAgreement", date, { locale: state.locale });
    const answer = $("#cloud-answer");
    answer.textContent = `${t("timeline.question", { date: formatDate(date) })} ${t(status_.acceptable ? "timeline.yes" : "timeline.no")}`;
    for (const warning of status_.warnings) answer.append(` ${warning.message}`);

    const confirmations = [];
    if ($("#tl-cloud").checked && ISO_DATE.test($("#tl-cloud-date").value)) confirmations.push({ type: "MicrosoftCloudAgreement", dateAgreed: $("#tl-cloud-date").value });
    if ($("#tl-mcua").checked && ISO_DATE.test($("#tl-mcua-date").value)) confirmations.push({ type: "MicrosoftCustomerAgreement", dateAgreed: $("#tl-mcua-date").value });
    const body = $("#gate-table-body");
    body.replaceChildren();
    for (const [key, verdict] of gateRows(date, confirmations)) {
      const row = document.createElement("tr");
      const action = document.createElement("th");
      action.scope = "row";
      action.textContent = t(key);
      const allowed = document.createElement("td");
      allowed.className = verdict.allowed ? "allowed" : "refused";
      allowed.textContent = t(verdict.allowed ? "gate.yes" : "gate.no");
      const why = document.createElement("td");
      why.textContent = verdict.reason.message;
      row.append(action, allowed, why);
      body.append(row);
    }
    const list = $("#milestone-list");
    list.replaceChildren();
    for (const milestone of milestones) {
      const item = document.createElement("li");
      const strong = document.createElement("strong");
      strong.textContent = `${formatDate(milestone.date)} — ${milestone.title}.`;
      item.append(strong, ` ${milestone.details}`);
      list.append(item);
    }
  }

  return { render: renderTimeline };
}
