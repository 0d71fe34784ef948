// Zone editor: polygons over the camera's current snapshot, in normalised coordinates (0..1).
import { api, el } from "./api.js";
import { currentLang, t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const RULE_FIELDS = [["min_seconds", 1, 0], ["clear_seconds", 1, 0], ["min_confidence", 0.05, 0], ["min_ratio", 0.05, 0.05]];
const RULE_DEFAULTS = { min_seconds: 5, clear_seconds: 10, min_confidence: 0.4, min_ratio: 0.6 };
const COLOURS = ["#38bdf8", "#f59e0b", "#a3e635", "#f472b6", "#c084fc", "#fb7185"];

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;

export class ZoneEditor {
  constructor({ cameraId, zones, incidents, canEdit }) {
    this.cameraId = cameraId;
    this.zones = structuredClone(zones);
    this.incidents = incidents;
    this.canEdit = canEdit;
    this.selected = this.zones.length ? 0 : -1;
    this.drawing = null;
    this.drag = null;
    this.errors = [];
    this.img = el("img", { class: "snapshot", id: "zone-snapshot", alt: "snapshot", src: `/cameras/${encodeURIComponent(cameraId)}/snapshot?t=${Date.now()}` });
    this.overlay = svg("svg", { class: "overlay", id: "zone-canvas" });
    this.stage = el("div", { class: "stage" }, this.img, this.overlay);
    this.form = el("div", { class: "zone-form", id: "zone-form" });
    this.message = el("div", { class: "messages", id: "zone-messages", role: "alert" });
    const tools = this.canEdit ? el("div", { class: "row tools" },
      el("button", { type: "button", id: "zone-new", onclick: () => this.startDrawing() }, t("zone.new")),
      el("button", { type: "button", id: "zone-delete", class: "danger", onclick: () => this.deleteSelected() }, t("zone.delete")),
      el("button", { type: "button", id: "zone-save", class: "primary", onclick: () => this.save() }, t("zone.save")))
      : el("p", { class: "meta" }, t("zone.readonly"));
    this.node = el("div", { class: "zone-editor" }, this.stage, el("p", { class: "hint" }, t("zone.hint")), tools, this.form, this.message);
    this.img.addEventListener("load", () => this.render());
    this.img.addEventListener("error", () => { this.stage.classList.add("no-picture"); this.stage.dataset.msg = t("snapshot.failed"); this.render(); });
    this.overlay.addEventListener("pointerdown", (e) => this.onDown(e));
    this.overlay.addEventListener("pointermove", (e) => this.onMove(e));
    this.overlay.addEventListener("pointerup", () => { this.drag = null; });
    this.onKey = (e) => this.key(e);
    this.onResize = () => this.render();
    document.addEventListener("keydown", this.onKey);
    window.addEventListener("resize", this.onResize);
    this.renderForm();
  }

  stop() {
    document.removeEventListener("keydown", this.onKey);
    window.removeEventListener("resize", this.onResize);
  }

  size() {
    const box = this.overlay.getBoundingClientRect();
    return [box.width || 1, box.height || 1, box];
  }

  toNorm(event) {
    const [w, h, box] = this.size();
    return [round((event.clientX - box.left) / w), round((event.clientY - box.top) / h)];
  }

  render() {
    const [w, h] = this.size();
    this.overlay.setAttribute("viewBox", `0 0 ${w} ${h}`);
    this.overlay.replaceChildren();
    this.zones.forEach((zone, zi) => {
      const colour = COLOURS[zi % COLOURS.length];
      const points = zone.polygon.map(([x, y]) => `${x * w},${y * h}`).join(" ");
      const poly = svg("polygon", { points, class: `zone ${zi === this.selected ? "selected" : ""}`, stroke: colour, fill: colour, "data-zone": zone.name });
      poly.addEventListener("pointerdown", (e) => { if (!this.drawing) { e.stopPropagation(); this.select(zi); } });
      this.overlay.append(poly);
      const [lx, ly] = zone.polygon[0] ?? [0, 0];
      const label = svg("text", { x: lx * w + 4, y: ly * h - 6, class: "zone-label", fill: colour });
      label.textContent = zone.name;
      this.overlay.append(label);
      if (zi === this.selected && this.canEdit) {
        zone.polygon.forEach(([x, y], vi) => {
          const dot = svg("circle", { cx: x * w, cy: y * h, r: 7, class: "vertex", "data-vertex": vi });
          dot.addEventListener("pointerdown", (e) => { e.stopPropagation(); this.drag = { zi, vi }; this.overlay.setPointerCapture(e.pointerId); });
          this.overlay.append(dot);
        });
      }
    });
    if (this.drawing) {
      const pts = this.drawing.map(([x, y]) => `${x * w},${y * h}`).join(" ");
      this.overlay.append(svg("polyline", { points: pts, class: "drawing" }));
      this.drawing.forEach(([x, y], i) => this.overlay.append(svg("circle", { cx: x * w, cy: y * h, r: i === 0 ? 9 : 5, class: i === 0 ? "vertex first" : "vertex" })));
    }
  }

  select(index) {
    this.selected = index;
    this.render();
    this.renderForm();
  }

  startDrawing() {
    this.drawing = [];
    this.stage.classList.add("drawing");
    this.render();
  }

  finishDrawing() {
    if (!this.drawing || this.drawing.length < 3) return;
    let n = this.zones.length + 1;
    while (this.zones.some((z) => z.name === `zone-${n}`)) n += 1;
    this.zones.push({ name: `zone-${n}`, polygon: this.drawing, rules: [] });
    this.drawing = null;
    this.stage.classList.remove("drawing");
    this.select(this.zones.length - 1);
  }

  deleteSelected() {
    if (this.selected < 0) return;
    this.zones.splice(this.selected, 1);
    this.select(Math.min(this.selected, this.zones.length - 1));
  }

  onDown(event) {
    if (!this.canEdit || !this.drawing) return;
    const point = this.toNorm(event);
    const [w, h] = this.size();
    const first = this.drawing[0];
    if (first && this.drawing.length >= 3 && Math.hypot((first[0] - point[0]) * w, (first[1] - point[1]) * h) < 12) {
      this.finishDrawing();
      return;
    }
    this.drawing.push(point);
    this.render();
  }

  onMove(event) {
    if (!this.drag) return;
    this.zones[this.drag.zi].polygon[this.drag.vi] = this.toNorm(event);
    this.render();
  }

  key(event) {
    if (event.target.closest("input, textarea, select")) return;
    if (event.key === "Enter" && this.drawing) this.finishDrawing();
    else if (event.key === "Escape" && this.drawing) { this.drawing = null; this.stage.classList.remove("drawing"); this.render(); }
    else if ((event.key === "Delete" || event.key === "Backspace") && this.canEdit) this.deleteSelected();
  }

  fieldErrors(prefix, exact = false) {
    return this.errors.filter((e) => (exact ? e.path === prefix : e.path.startsWith(prefix))).map((e) => el("span", { class: "field-error" }, e.msg));
  }

  renderForm() {
    const zone = this.zones[this.selected];
    if (!zone) { this.form.replaceChildren(); return; }
    const zi = this.selected;
    const disabled = this.canEdit ? undefined : "disabled";
    const name = el("input", { id: "zone-name", value: zone.name, disabled, oninput: (e) => { zone.name = e.target.value; this.render(); } });
    const rows = this.incidents.map((incident) => {
      const ri = zone.rules.findIndex((r) => r.incident === incident.id);
      const rule = zone.rules[ri];
      const check = el("input", { type: "checkbox", "data-incident": incident.id, checked: rule ? "checked" : undefined, disabled,
        onchange: (e) => {
          if (e.target.checked) zone.rules.push({ incident: incident.id, ...RULE_DEFAULTS });
          else zone.rules = zone.rules.filter((r) => r.incident !== incident.id);
          this.renderForm();
        } });
      const label = currentLang() === "en" ? incident.name : incident.name_zh || incident.name;
      const params = rule ? el("div", { class: "params" }, RULE_FIELDS.map(([field, step, min]) =>
        el("label", {}, t(`rule.${field}`),
          el("input", { type: "number", step, min, value: rule[field] ?? RULE_DEFAULTS[field], disabled, "data-field": `${incident.id}.${field}`,
            oninput: (e) => { rule[field] = e.target.value === "" ? null : Number(e.target.value); } }),
          this.fieldErrors(`${zi}.rules.${ri}.${field}`)))) : null;
      return el("div", { class: "rule" }, el("label", { class: "check" }, check, ` ${label}`), params,
        rule ? this.fieldErrors(`${zi}.rules.${ri}.incident`) : null);
    });
    this.form.replaceChildren(
      el("label", { class: "name" }, t("zone.name"), name, this.fieldErrors(`${zi}.name`)),
      el("div", { class: "field-errors" }, this.fieldErrors(`${zi}.polygon`)),
      el("h4", {}, t("zone.incidents")), el("div", { class: "field-errors" }, this.fieldErrors(`${zi}.rules`, true)),
      el("div", { class: "rules" }, rows));
  }

  async save() {
    this.errors = [];
    this.message.className = "messages";
    try {
      this.zones = await api(`/cameras/${encodeURIComponent(this.cameraId)}/zones`, { method: "PUT", body: this.zones });
      this.message.textContent = t("zone.saved");
      this.message.classList.add("ok");
    } catch (error) {
      const detail = Array.isArray(error.detail) ? error.detail : [{ loc: [], msg: error.message }];
      this.errors = detail.map((e) => ({ path: e.loc.slice(1).join("."), msg: e.msg.replace(/^Value error, /, "") }));
      this.message.replaceChildren(...this.errors.map((e) => {
        const zone = this.zones[Number(e.path.split(".")[0])];
        return el("p", { class: "field-error" }, `${zone ? zone.name : ""} ${e.path}: ${e.msg}`);
      }));
      this.message.classList.add("bad");
    }
    this.render();
    this.renderForm();
  }
}
