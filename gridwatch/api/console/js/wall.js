// The alert wall: newest first, coloured by warning level, live over SSE, one-key decisions.
import { api, el } from "./api.js";
import { currentLang, t } from "./i18n.js";

const LEVEL_ORDER = { red: 0, orange: 1, yellow: 2, blue: 3 };
const CAN_DECIDE = new Set(["operator", "supervisor", "admin"]);

export async function showWall(me) {
  const incidents = Object.fromEntries((await api("/incidents")).map((i) => [i.id, i]));
  const grid = el("section", { class: "wall-grid", id: "wall" });
  const empty = el("p", { class: "empty" }, t("wall.empty"));
  const count = el("span", { class: "count" });
  const toast = el("div", { class: "toast", role: "status", hidden: true });
  const node = el("div", { class: "wall" },
    el("div", { class: "wall-head" }, el("h2", {}, t("wall.title")), count,
      el("span", { class: "keys" }, t("wall.keys"))),
    empty, grid, toast);
  const cards = new Map();
  let selected = null;

  function say(text) {
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { toast.hidden = true; }, 4000);
  }

  function refreshCount() {
    count.textContent = `${cards.size} ${t("wall.count")}`;
    empty.hidden = cards.size > 0;
  }

  function select(card) {
    if (selected) selected.classList.remove("selected");
    selected = card;
    if (card) { card.classList.add("selected"); card.scrollIntoView({ block: "nearest" }); }
  }

  async function decide(alert, action) {
    let body = { expected_status: alert.status };
    if (action === "reject") {
      const reason = window.prompt(t("reject.prompt"));
      if (!reason) return;
      body = { ...body, reason };
    }
    try {
      update(await api(`/alerts/${encodeURIComponent(alert.alert_id)}/${action}`, { method: "POST", body }));
    } catch (error) {
      say(error.status === 409 ? `${t("conflict")}: ${error.message}` : error.message);
    }
  }

  function cardFor(alert) {
    const incident = incidents[alert.incident];
    const name = incident ? (currentLang() === "en" ? incident.name : incident.name_zh || incident.name) : alert.incident;
    const decidable = CAN_DECIDE.has(me.role) && ["new", "confirmed"].includes(alert.status);
    const buttons = decidable ? el("div", { class: "actions" },
      alert.status === "new" ? el("button", { class: "confirm", type: "button", onclick: () => decide(alert, "confirm") }, t("confirm")) : null,
      el("button", { class: "reject", type: "button", onclick: () => decide(alert, "reject") }, t("reject")),
      el("button", { class: "dispatch", type: "button", onclick: () => decide(alert, "dispatch") }, t("dispatch")),
    ) : null;
    const raised = new Date(alert.raised_at);
    const card = el("article", {
      class: `card level-${alert.level} status-${alert.status}`, "data-alert": alert.alert_id, tabindex: "0",
      onclick: () => select(card),
    },
      el("div", { class: "shot" }, alert.evidence_url ? el("img", { src: alert.evidence_url, alt: name, loading: "lazy" }) : el("div", { class: "noshot" }, "—"),
        el("span", { class: "level-tag" }, t(`level.${alert.level}`))),
      el("div", { class: "info" },
        el("h3", {}, name),
        el("p", { class: "where" }, `${alert.street || "—"} · ${alert.camera_id} · ${alert.zone}`),
        el("p", { class: "meta" }, `${raised.toLocaleTimeString("zh-CN", { hour12: false })} · ${t("confidence")} ${(alert.confidence * 100).toFixed(0)}%`),
        el("p", { class: "meta" }, `${t("department")}: ${alert.department || "—"} · ${alert.category_code}`),
        el("p", { class: "status" }, el("span", { class: "badge" }, t(`status.${alert.status}`)),
          alert.decision?.by ? ` ${alert.decision.by}${alert.decision.reason ? " · " + alert.decision.reason : ""}` : ""),
        buttons));
    card.alert = alert;
    return card;
  }

  function place(card) {
    const level = LEVEL_ORDER[card.alert.level] ?? 9;
    // Newest first; an open red alert is never below an open blue one raised at the same second.
    const before = [...grid.children].find((other) => other.alert.raised_at < card.alert.raised_at ||
      (other.alert.raised_at === card.alert.raised_at && (LEVEL_ORDER[other.alert.level] ?? 9) > level));
    grid.insertBefore(card, before ?? null);
  }

  function update(alert) {
    const old = cards.get(alert.alert_id);
    const card = cardFor(alert);
    cards.set(alert.alert_id, card);
    if (old) { old.replaceWith(card); if (selected === old) select(card); } else place(card);
    refreshCount();
  }

  const page = await api("/alerts?limit=60");
  for (const alert of page.items) update(alert);

  const feedState = document.getElementById("feed-state");
  const source = new EventSource("/feed");
  source.addEventListener("open", () => { feedState.hidden = false; feedState.className = "feed-state up"; feedState.textContent = t("feed.live"); });
  source.addEventListener("error", () => { feedState.hidden = false; feedState.className = "feed-state down"; feedState.textContent = t("feed.down"); });
  source.addEventListener("alert", (event) => {
    const alert = JSON.parse(event.data);
    if (alert.invalid || cards.has(alert.alert_id)) return;
    update({ ...alert, evidence_url: alert.evidence ? `/alerts/${alert.alert_id}/evidence` : null });
    cards.get(alert.alert_id).classList.add("fresh");
  });
  source.addEventListener("audit", async (event) => {
    const entry = JSON.parse(event.data);
    if (!entry.action?.startsWith("alert.")) return;
    const id = entry.target.replace(/^alert:/, "");
    if (cards.has(id)) update(await api(`/alerts/${encodeURIComponent(id)}`));
  });

  function onKey(event) {
    if (event.target.closest("input, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const list = [...grid.children];
    const index = selected ? list.indexOf(selected) : -1;
    const key = event.key.toLowerCase();
    if (key === "j" || key === "arrowdown") select(list[Math.min(list.length - 1, index + 1)] ?? null);
    else if (key === "k" || key === "arrowup") select(list[Math.max(0, index - 1)] ?? null);
    else if (selected && CAN_DECIDE.has(me.role)) {
      const action = { c: "confirm", r: "reject", d: "dispatch" }[key];
      if (action) decide(selected.alert, action);
    }
  }
  document.addEventListener("keydown", onKey);
  refreshCount();
  return { node, stop: () => { source.close(); document.removeEventListener("keydown", onKey); feedState.hidden = true; } };
}
