"""Pure measurements the rules share: China time, durations, haversine distances, GPS validity."""
from __future__ import annotations

import math
from datetime import datetime, time

from server.recusal.types import CHINA, Point

EARTH_RADIUS_KM = 6371.0088


def parse_time(value):
    """An aware datetime from an ODK timestamp (any offset, or Z); None if absent or unreadable.

    A timestamp without an offset is taken as China time: Collect always writes one, so only a
    hand-edited instance lacks it, and the evaluation happens in China.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)


def china(moment):
    return moment.astimezone(CHINA)


def china_day(moment):
    return china(moment).date().isoformat()


def parse_clock(text):
    """'06:00' or '22:00:00' -> time."""
    return time.fromisoformat(text)


def minutes_between(start, end):
    return (end - start).total_seconds() / 60.0


def point_of(value):
    """A valid Point from a geopoint answer, or None (absent, unreadable, out of range, or 0,0)."""
    if not isinstance(value, dict):
        return None
    try:
        lat, lon = float(value["lat"]), float(value["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    # 0,0 is what a phone writes when it had no fix; no household lives there (Gulf of Guinea).
    if (lat == 0 and lon == 0) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    accuracy = value.get("accuracy")
    return Point(lat, lon, float(accuracy) if isinstance(accuracy, (int, float)) else None)


def distance_km(a, b):
    """Great-circle (haversine) distance between two Points, in km."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def fmt(value, digits=1):
    """A number as people read it: 3.4, 2, 15.5."""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
