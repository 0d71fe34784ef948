// Camera list with health; a camera page with live view and the zone editor.
import { api, el } from "./api.js";
import { t } from "./i18n.js";
import { ZoneEditor } from "./zone-editor.js";
import { LiveView } from "./live.js";

function healthBadge(health) {
  const state = health?.state || "unknown";
  return el("span", { class: `health health-${state}`, title: health?.detail || "" }, t(`health.${state}`) === `health.${state}` ? state : t(`health.${state}`));
}

export async function showCameras() {
  const cameras = await api("/cameras");
  const streets = [...new Set(cameras.map((c) => c.street).filter(Boolean))].sort();
  const table = el("tbody");
  const pick = el("select", { id: "street-filter" }, el("option", { value: "" }, t("cams.all")),
    streets.map((s) => el("option", { value: s }, s)));
  function fill() {
    table.replaceChildren(...cameras.filter((c) => !pick.value || c.street === pick.value).map((c) =>
      el("tr", {},
        el("td", {}, el("a", { href: `#/camera/${encodeURIComponent(c.id)}` }, c.id)),
        el("td", {}, c.name), el("td", {}, c.street), el("td", {}, c.grid),
        el("td", {}, String(c.zones)), el("td", {}, healthBadge(c.health)))));
  }
  pick.addEventListener("change", fill);
  fill();
  const node = el("div", { class: "cameras" },
    el("div", { class: "wall-head" }, el("h2", {}, t("cams.title")), el("label", {}, `${t("cams.street")} `, pick)),
    el("table", { class: "table" }, el("thead", {}, el("tr", {}, ["ID", "名称 / Name", t("cams.street"), "Grid", t("zones"), "Health"].map((h) => el("th", {}, h)))), table));
  return { node };
}

export async function showCamera(id, me) {
  const [camera, zones, incidents] = await Promise.all([
    api(`/cameras/${encodeURIComponent(id)}`), api(`/cameras/${encodeURIComponent(id)}/zones`), api("/incidents")]);
  const canEdit = me.role === "admin" && camera.zones_editable;
  const editor = new ZoneEditor({ cameraId: id, zones, incidents: incidents.filter((i) => !i.id.startsWith("camera_")), canEdit });
  const live = new LiveView(id);
  const node = el("div", { class: "camera-page" },
    el("div", { class: "wall-head" }, el("h2", {}, `${camera.name || camera.id}`),
      el("span", { class: "where" }, `${camera.id} · ${camera.street} · ${camera.grid}`), healthBadge(camera.health)),
    el("div", { class: "camera-grid" },
      el("section", { class: "panel" }, el("h3", {}, t("cam.zones")), editor.node),
      el("section", { class: "panel" }, el("h3", {}, t("cam.live")), live.node)));
  return { node, stop: () => { live.stop(); editor.stop(); } };
}
