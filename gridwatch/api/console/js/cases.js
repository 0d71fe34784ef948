// Cases (filtered, paged, field milestones by role) and escalation events; both refresh live.
import { api, el } from "./api.js";
import { currentLang, t } from "./i18n.js";

const PAGE = 25;
const STATUSES = ["confirmed", "dispatched", "handled", "reopened", "verified", "closed", "rejected", "merged"];
const RANK = { viewer: 0, operator: 1, supervisor: 2, admin: 3 };
// Which milestone each status allows, and the role it needs.
const MOVES = {
  dispatched: [["handled", "operator"]],
  reopened: [["handled", "operator"]],
  handled: [["verify", "supervisor"], ["reopen", "supervisor"]],
  verified: [["close", "operator"]],
};

function when(text) {
  return text ? new Date(text).toLocaleString(currentLang() === "zh" ? "zh-CN" : "en-GB", { hour12: false }) : "—";
}

function levelTag(level) {
  return el("span", { class: `level-pill level-${level}` }, t(`level.${level}`));
}

function liveRefresh(reload, kinds) {
  const source = new EventSource("/feed");
  let timer = null;
  const soon = () => { clearTimeout(timer); timer = setTimeout(reload, 300); };
  for (const kind of kinds) {
    source.addEventListener(kind, (event) => {
      if (kind !== "audit") return soon();
      const action = JSON.parse(event.data).action || "";
      if (action.startsWith("case.") || action.startsWith("alert.")) soon();
    });
  }
  return () => { clearTimeout(timer); source.close(); };
}

export async function showCases(me) {
  const incidents = Object.fromEntries((await api("/incidents")).map((i) => [i.id, i]));
  const status = el("select", { id: "case-status" }, el("option", { value: "" }, t("cams.all")),
    STATUSES.map((s) => el("option", { value: s }, t(`status.${s}`))));
  const street = el("input", { id: "case-street", placeholder: t("cams.street"), size: 10 });
  const overdue = el("input", { id: "case-overdue", type: "checkbox" });
  const body = el("tbody");
  const info = el("span", { class: "count", id: "case-count" });
  const toast = el("div", { class: "toast", role: "status", hidden: true });
  const prev = el("button", { type: "button", id: "case-prev", onclick: () => { offset = Math.max(0, offset - PAGE); load(); } }, "‹");
  const next = el("button", { type: "button", id: "case-next", onclick: () => { offset += PAGE; load(); } }, "›");
  let offset = 0;

  function say(text) {
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { toast.hidden = true; }, 4000);
  }

  async function move(item, action) {
    let reason = "";
    if (action === "reopen") {
      reason = window.prompt(t("reopen.prompt")) || "";
      if (!reason) return;
    }
    try {
      await api(`/cases/${encodeURIComponent(item.case_id)}/${action}`, { method: "POST", body: { reason, expected_version: item.version } });
      await load();
    } catch (error) {
      say(error.status === 409 ? `${t("conflict")}: ${error.message}` : error.message);
    }
  }

  function row(item) {
    const incident = incidents[item.incident];
    const name = incident ? (currentLang() === "en" ? incident.name : incident.name_zh || incident.name) : item.incident;
    const buttons = (MOVES[item.status] || []).filter(([, role]) => RANK[me.role] >= RANK[role]).map(([action]) =>
      el("button", { type: "button", class: `move move-${action}`, onclick: () => move(item, action) }, t(`case.${action}`)));
    return el("tr", { "data-case": item.case_id, class: item.overdue ? "overdue" : "" },
      el("td", {}, item.case_id), el("td", {}, levelTag(item.level)), el("td", {}, name),
      el("td", {}, item.street || "—"), el("td", {}, item.department || "—"),
      el("td", {}, el("span", { class: `badge status-${item.status}` }, t(`status.${item.status}`))),
      el("td", {}, when(item.opened_at)), el("td", { class: "due" }, when(item.due_at)),
      el("td", {}, item.evidence_url ? el("a", { href: item.evidence_url, target: "_blank" }, t("case.evidence")) : "—"),
      el("td", {}, el("div", { class: "row-actions" }, buttons)));
  }

  async function load() {
    const query = new URLSearchParams({ limit: PAGE, offset });
    if (status.value) query.set("status", status.value);
    if (street.value.trim()) query.set("street", street.value.trim());
    if (overdue.checked) query.set("overdue", "true");
    try {
      const page = await api(`/cases?${query}`);
      body.replaceChildren(...page.items.map(row));
      info.textContent = `${page.total} ${t("case.count")}`;
      prev.disabled = offset === 0;
      next.disabled = offset + PAGE >= page.total;
    } catch (error) {
      say(error.message);
    }
  }

  for (const input of [status, overdue]) input.addEventListener("change", () => { offset = 0; load(); });
  street.addEventListener("change", () => { offset = 0; load(); });
  const month = new Date();
  const first = `${month.getFullYear()}-${String(month.getMonth() + 1).padStart(2, "0")}-01`;
  const today = month.toISOString().slice(0, 10);
  const exportLink = el("a", { id: "stats-csv", href: `/statistics/cases.csv?from=${first}&to=${today}&by=street` }, t("case.export"));
  const node = el("div", { class: "cases" },
    el("div", { class: "wall-head" }, el("h2", {}, t("case.title")), info,
      el("label", {}, `${t("case.status")} `, status), street,
      el("label", {}, overdue, ` ${t("case.overdue")}`), prev, next, el("span", { class: "keys" }, exportLink)),
    el("table", { class: "table" }, el("thead", {}, el("tr", {},
      [t("case.id"), t("case.level"), t("case.incident"), t("cams.street"), t("department"), t("case.status"),
        t("case.opened"), t("case.due"), t("case.evidence"), ""].map((h) => el("th", {}, h)))), body), toast);
  await load();
  return { node, stop: liveRefresh(load, ["audit", "escalation"]) };
}

export async function showEscalations() {
  const body = el("tbody");
  const info = el("span", { class: "count" });
  async function load() {
    const page = await api("/escalations?limit=100");
    info.textContent = `${page.total} ${t("esc.count")}`;
    body.replaceChildren(...page.items.map((e) => el("tr", { "data-escalation": String(e.id) },
      el("td", {}, when(e.at)), el("td", {}, e.case_id || e.alert_id),
      el("td", {}, levelTag(e.from_level), " → ", levelTag(e.to_level)),
      el("td", {}, t(`esc.${e.trigger}`) === `esc.${e.trigger}` ? e.trigger : t(`esc.${e.trigger}`)),
      el("td", {}, e.street || "—"), el("td", {}, e.department || "—"))));
  }
  await load();
  const node = el("div", { class: "escalations" },
    el("div", { class: "wall-head" }, el("h2", {}, t("esc.title")), info),
    el("table", { class: "table" }, el("thead", {}, el("tr", {},
      [t("esc.at"), t("case.id"), t("case.level"), t("esc.trigger"), t("cams.street"), t("department")].map((h) => el("th", {}, h)))), body));
  return { node, stop: liveRefresh(() => load().catch(() => null), ["escalation"]) };
}
