// The console shell: session, navigation by hash, language toggle, clock.
import { api, el } from "./api.js";
import { applyStatic, currentLang, setLang, t } from "./i18n.js";
import { showWall } from "./wall.js";
import { showCameras, showCamera } from "./cameras.js";
import { showCases, showEscalations } from "./cases.js";

const view = document.getElementById("view");
let me = null;
let leave = null;

function render(node) {
  if (leave) leave();
  leave = null;
  view.replaceChildren(node);
}

function showLogin() {
  me = null;
  document.getElementById("nav").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("who").textContent = "";
  const form = document.getElementById("login-tpl").content.firstElementChild.cloneNode(true);
  applyStatic(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api("/auth/login", { method: "POST", body: { username: data.get("username"), password: data.get("password") } });
      await start();
    } catch {
      form.querySelector("#login-error").textContent = t("login.failed");
    }
  });
  render(form);
  form.querySelector("input").focus();
}

async function route() {
  if (!me) return;
  const [, page, id] = location.hash.split("/");
  if (page === "cameras") leave = await mount(showCameras());
  else if (page === "cases") leave = await mount(showCases(me));
  else if (page === "escalations") leave = await mount(showEscalations());
  else if (page === "camera" && id) leave = await mount(showCamera(decodeURIComponent(id), me));
  else leave = await mount(showWall(me));
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("active", location.hash.startsWith(link.getAttribute("href")) ||
      (page === "camera" && link.getAttribute("href") === "#/cameras"));
  }
}

async function mount(promise) {
  if (leave) leave();
  const { node, stop } = await promise;
  view.replaceChildren(node);
  return stop ?? null;
}

async function start() {
  try {
    me = await api("/auth/me");
  } catch {
    showLogin();
    return;
  }
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  document.getElementById("who").textContent = `${me.user} · ${me.role}`;
  if (!location.hash) location.hash = "#/wall";
  await route();
}

function tick() {
  const now = new Date();
  document.getElementById("clock").textContent = now.toLocaleString(currentLang() === "zh" ? "zh-CN" : "en-GB", { hour12: false });
}

document.getElementById("lang").addEventListener("click", async () => {
  setLang(currentLang() === "zh" ? "en" : "zh");
  document.getElementById("lang").textContent = currentLang() === "zh" ? "EN" : "中文";
  if (me) await route(); else showLogin();
});
document.getElementById("logout").addEventListener("click", async () => {
  await api("/auth/logout", { method: "POST" }).catch(() => null);
  if (leave) leave();
  leave = null;
  showLogin();
});
window.addEventListener("gw-logout", () => { if (me) { if (leave) leave(); leave = null; showLogin(); } });
window.addEventListener("hashchange", route);
setLang(currentLang());
document.getElementById("lang").textContent = currentLang() === "zh" ? "EN" : "中文";
setInterval(tick, 1000);
tick();
start();
export { el };
