"""Live view: WebRTC offer/answer for one camera (aiortc on the server)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from gridwatch.api.deps import AppState, State
from gridwatch.api.routers.cameras import CameraId, camera_or_404
from gridwatch.api.security.auth import Viewer
from gridwatch.api.webrtc_hub import LiveViewError, TooManyViewers, WebRtcHub

router = APIRouter(prefix="/cameras", tags=["live view"])
_HUB = "webrtc"


class SessionDescription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sdp: str = Field(min_length=1, max_length=100_000, description="SDP text.")
    type: Literal["offer", "answer"] = Field(description="offer from the browser, answer back.")


def hub_of(state: AppState) -> WebRtcHub:
    hub = state.extras.get(_HUB)
    if not isinstance(hub, WebRtcHub):
        hub = state.extras[_HUB] = WebRtcHub()
    return hub


async def close_all(state: AppState) -> None:
    hub = state.extras.get(_HUB)
    if isinstance(hub, WebRtcHub):
        await hub.close()


@router.post(
    "/{camera_id}/webrtc", operation_id="cameras_webrtc_offer",
    responses={503: {"description": "Camera unreachable or too many viewers."}},
)
async def cameras_webrtc_offer(
    state: State, _: Viewer, camera_id: CameraId, offer: SessionDescription
) -> SessionDescription:
    """Send the browser's offer, get the server's answer; video then flows over WebRTC."""
    camera = camera_or_404(state, camera_id)
    if offer.type != "offer":
        raise HTTPException(422, "send an SDP offer (type: offer)")
    try:
        answer = await hub_of(state).answer(camera, offer.sdp)
    except TooManyViewers as exc:
        raise HTTPException(503, str(exc)) from None
    except LiveViewError as exc:
        raise HTTPException(503, f"camera {camera_id}: {exc}") from None
    return SessionDescription(sdp=answer.sdp, type="answer")
