"""A small map without tiles: the interview's GPS point, the household's registered location and the
village centre, projected to SVG coordinates (equirectangular around their middle; kilometres are
small enough here for that to be exact to the eye)."""
import math

WIDTH, HEIGHT, PAD = 320, 200, 28


def location_map(where):
    """{points: [{kind, x, y, lat, lon}], lines: [{x1, y1, x2, y2, metres}], width, height} or None."""
    named = [(k, where[k]) for k in ("gps", "household", "village_centre") if where.get(k) is not None]
    if not named:
        return None
    lat0 = sum(p.lat for _, p in named) / len(named)
    scale_x = math.cos(math.radians(lat0))
    xs = [p.lon * scale_x for _, p in named]
    ys = [p.lat for _, p in named]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.0005)  # ≥ ~50 m, so one point is not a blow-up
    unit = min(WIDTH, HEIGHT) - 2 * PAD
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def project(p):
        return (round(WIDTH / 2 + (p.lon * scale_x - cx) / span * unit, 1),
                round(HEIGHT / 2 - (p.lat - cy) / span * unit, 1))

    points = [{"kind": k, "x": project(p)[0], "y": project(p)[1], "lat": p.lat, "lon": p.lon}
              for k, p in named]
    lines = []
    gps = where.get("gps")
    for kind, metres in (("household", where.get("household_m")), ("village_centre", where.get("village_m"))):
        if gps is not None and where.get(kind) is not None:
            (x1, y1), (x2, y2) = project(gps), project(where[kind])
            lines.append({"kind": kind, "x1": x1, "y1": y1, "x2": x2, "y2": y2, "metres": metres})
    return {"points": points, "lines": lines, "width": WIDTH, "height": HEIGHT}
