// Live view over WebRTC: the browser offers, the API (aiortc) answers; host candidates only.
import { api, el } from "./api.js";
import { t } from "./i18n.js";

export class LiveView {
  constructor(cameraId) {
    this.cameraId = cameraId;
    this.pc = null;
    this.video = el("video", { id: "live-video", autoplay: true, muted: true, playsinline: true });
    this.status = el("p", { class: "meta", id: "live-status" });
    this.button = el("button", { class: "primary", type: "button", id: "live-toggle", onclick: () => this.toggle() }, t("cam.startLive"));
    this.node = el("div", { class: "live" }, this.video, el("div", { class: "row" }, this.button, this.status));
  }

  async toggle() {
    if (this.pc) { this.stop(); return; }
    this.button.textContent = t("cam.stopLive");
    const pc = this.pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addEventListener("track", (event) => { this.video.srcObject = event.streams[0] ?? new MediaStream([event.track]); });
    pc.addEventListener("connectionstatechange", () => { this.status.textContent = pc.connectionState; });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === "complete") return resolve();
      const done = () => { if (pc.iceGatheringState === "complete") resolve(); };
      pc.addEventListener("icegatheringstatechange", done);
      setTimeout(resolve, 2000);
    });
    try {
      const answer = await api(`/cameras/${encodeURIComponent(this.cameraId)}/webrtc`, {
        method: "POST", body: { sdp: pc.localDescription.sdp, type: "offer" } });
      await pc.setRemoteDescription(answer);
    } catch (error) {
      this.status.textContent = error.message;
      this.stop(false);
    }
  }

  stop(clearStatus = true) {
    if (this.pc) this.pc.close();
    this.pc = null;
    this.video.srcObject = null;
    this.button.textContent = t("cam.startLive");
    if (clearStatus) this.status.textContent = "";
  }
}
