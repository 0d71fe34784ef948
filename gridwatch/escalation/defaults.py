"""Embedded deadlines per incident id: (clock, confirm within, dispatch within, handle within).

Manhole covers and crowds are urgent and run on the wall clock (24/7); everything else counts
working hours. One working day of the default calendar is 7 h 30 min (08:30-12:00, 14:00-18:00).
A site's ``escalation.deadlines`` overrides any of these.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

Clock = Literal["working", "wall"]

_M = timedelta(minutes=1)
_H = timedelta(hours=1)
WORKING_DAY = timedelta(hours=7, minutes=30)

DEFAULT_DEADLINES: dict[str, tuple[Clock, timedelta, timedelta, timedelta]] = {
    "manhole_missing": ("wall", 10 * _M, 10 * _M, 2 * _H),
    "manhole_damaged": ("wall", 15 * _M, 15 * _M, 4 * _H),
    "manhole_displaced": ("wall", 15 * _M, 15 * _M, 4 * _H),
    "crowd_gathering": ("wall", 5 * _M, 5 * _M, 30 * _M),
    "bare_soil": ("working", 1 * _H, 1 * _H, WORKING_DAY),
    "exposed_garbage": ("working", 30 * _M, 30 * _M, 4 * _H),
    "piled_material": ("working", 1 * _H, 1 * _H, WORKING_DAY),
    "street_vending": ("working", 30 * _M, 30 * _M, 2 * _H),
    "out_of_store_business": ("working", 30 * _M, 30 * _M, 4 * _H),
    "illegal_parking_motor": ("working", 30 * _M, 30 * _M, 2 * _H),
    "illegal_parking_nonmotor": ("working", 30 * _M, 30 * _M, 2 * _H),
    "camera_offline": ("working", 2 * _H, 2 * _H, 2 * WORKING_DAY),
    "camera_frozen": ("working", 2 * _H, 2 * _H, 2 * WORKING_DAY),
    "camera_tampered": ("working", 2 * _H, 2 * _H, 2 * WORKING_DAY),
    "camera_moved": ("working", 2 * _H, 2 * _H, 2 * WORKING_DAY),
}
