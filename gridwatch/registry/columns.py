"""The registry CSV header: canonical column names and the aliases accepted for them.

Header (first line): ``id,name,url,street,grid,longitude,latitude,interval_s,mode,enabled``.
``id`` and ``url`` are required; the others may be blank. Chinese headers as exported by
platforms in China are accepted too (编号, 名称, 地址, 街道, 网格, 经度, 纬度, 间隔, 模式, 启用).
"""

from __future__ import annotations

COLUMNS = ("id", "name", "url", "street", "grid", "longitude", "latitude", "interval_s", "mode",
           "enabled")
REQUIRED = ("id", "url")
ALIASES: dict[str, str] = {
    "编号": "id", "名称": "name", "地址": "url", "url地址": "url", "街道": "street", "网格": "grid",
    "经度": "longitude", "纬度": "latitude", "间隔": "interval_s", "采样间隔": "interval_s",
    "模式": "mode", "采样模式": "mode", "启用": "enabled", "lon": "longitude", "lng": "longitude",
    "lat": "latitude",
}


def canonical(name: str) -> str | None:
    """The canonical column for a header cell, or None when it is not a known column."""
    key = name.strip().lower()
    if key in COLUMNS:
        return key
    return ALIASES.get(key)
