"""Maps readers can hover: world shapes as SVG paths, and figures glued with both an HTML and a
PNG representation (the HTML page shows the first; the PDF and readers without JavaScript get
the image).

Shapes come from :func:`aigov.maps.world` (the project's Natural Earth copy), simplified; the
page's script is ``book/_static/explorer.js``. Every text from the data reaches the markup
through :mod:`xml.etree.ElementTree`, which escapes it, or :func:`json_script`.
"""
import base64
import json
import xml.etree.ElementTree as ET
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, box

from . import countries, maps, readlog
from .plots import SMALL_STATE_KM2

WIDTH = 1000  # the explorer map's viewBox width; shapes simplified to about a unit


class Bundle:
    """An output with HTML and PNG representations (``width``: the image's width on the page)."""

    def __init__(self, html: str, png: bytes, width: int | None = None, alt: str = ""):
        self.html, self.png, self.width, self.alt = html, png, width, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": self.html, "image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": self.alt}
        return data, ({"image/png": {"width": self.width}} if self.width else {})


def json_script(element_id: str, data) -> str:
    """``data`` in a ``<script type="application/json">``; ``<``, ``>`` and ``&`` are written as
    JSON escapes, so no value can end the script or open a tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def path_data(geom, to_px) -> str:
    """SVG path data of a (multi)polygon; ``to_px`` maps an (n, 2) array of map coordinates to
    pixels. Points are rounded to whole pixels; rings that collapse are dropped."""
    parts = []
    for poly in [] if geom.is_empty else getattr(geom, "geoms", [geom]):
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.rint(to_px(np.asarray(ring.coords)[:, :2])).astype(int)
            xy = xy[np.r_[True, np.any(np.diff(xy, axis=0) != 0, axis=1)]]
            if len(xy) >= 4:
                steps = np.diff(xy, axis=0)  # relative moves: shorter text
                parts.append(f"M{xy[0, 0]} {xy[0, 1]}" + "l" + " ".join(f"{dx} {dy}" for dx, dy in steps[:-1]) + "z")
    return "".join(parts)


@readlog.cached
def world_frame() -> tuple[np.ndarray, float, float]:
    """The projected world's (x0, y1) corner and the scale to a viewBox :data:`WIDTH` wide, and
    that viewBox's height."""
    x0, y0, x1, y1 = maps.world().total_bounds
    scale = WIDTH / (x1 - x0)
    return np.array([x0, y1]), scale, round((y1 - y0) * scale)


def world_px(xy: np.ndarray) -> np.ndarray:
    corner, scale, _ = world_frame()
    return (xy - corner) * np.array([scale, -scale])


@readlog.cached
def world_shapes() -> list[dict]:
    """Each country with a code: iso3, name, SVG path data in the explorer's viewBox, and, for a
    state too small to see, the centre of the dot that marks it."""
    w = maps.world().dropna(subset=["iso3"])
    _, scale, _ = world_frame()
    out = []
    for iso3, geom in zip(w["iso3"], w.geometry):
        small = geom.area / 1e6 < SMALL_STATE_KM2
        d = path_data(geom.simplify(0.6 / scale), world_px)
        dot = np.rint(world_px(np.array(geom.representative_point().coords))).astype(int)[0].tolist() if small else None
        out.append({"iso3": iso3, "name": countries.name(iso3), "d": d, "dot": dot})
    return out


def world_svg(fills: dict[str, str], titles: dict[str, str], element_id: str | None = None) -> ET.Element:
    """The explorer's world map: one ``path`` (and, for a small state, a ``circle``) per country,
    with ``data-iso3``, filled per ``fills`` (a CSS class per country; others ``none``) and titled
    per ``titles`` (the text a hover shows without the script)."""
    _, _, height = world_frame()
    svg = ET.Element("svg", {"viewBox": f"0 0 {WIDTH} {height}", "role": "img", "class": "aigov-world"})
    if element_id:
        svg.set("id", element_id)
    for s in world_shapes():
        attrs = {"data-iso3": s["iso3"], "class": fills.get(s["iso3"], "none")}
        el = ET.SubElement(svg, "path", {**attrs, "d": s["d"]}) if s["d"] else None
        if el is not None:
            ET.SubElement(el, "title").text = titles.get(s["iso3"], s["name"])
        if s["dot"]:
            dot = ET.SubElement(svg, "circle", {**attrs, "cx": str(s["dot"][0]), "cy": str(s["dot"][1]), "r": "3"})
            ET.SubElement(dot, "title").text = titles.get(s["iso3"], s["name"])
    return svg


def overlay(fig, ax, png_size: tuple[int, int], labels: dict[str, str], default: str) -> ET.Element:
    """A transparent layer of country shapes over a map drawn on ``ax``, in the pixels of the
    figure's PNG (:func:`aigov.report.png_bytes`: twice the figure's dpi, tight box), each titled
    '<country>: <label>' (``default`` for a country ``labels`` lacks)."""
    fig.canvas.draw()
    dpi = 2 * fig.dpi
    bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])

    def to_px(xy):
        inches = ax.transData.transform(xy) / fig.dpi
        return np.column_stack([(inches[:, 0] - bbox.x0) * dpi, (bbox.y1 - inches[:, 1]) * dpi])

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    view = box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    px_per_unit = float(np.ptp(to_px(np.array([[x0, y0], [x1, y0]]))[:, 0])) / abs(x1 - x0)
    width, height = png_size
    svg = ET.Element("svg", {"viewBox": f"0 0 {width} {height}", "class": "aigov-overlay", "aria-hidden": "true"})
    w = maps.world().dropna(subset=["iso3"])
    for iso3, geom in zip(w["iso3"], w.geometry):
        parts = [g for g in shapely.get_parts(shapely.intersection(geom, view)) if g.geom_type == "Polygon"]
        d = path_data(MultiPolygon(parts).simplify(1 / px_per_unit), to_px) if parts else ""
        if d:
            el = ET.SubElement(svg, "path", {"d": d, "data-iso3": iso3})
            ET.SubElement(el, "title").text = f"{countries.name(iso3)}: {labels.get(iso3, default)}"
    return svg


def alt_text(labels: dict[str, str]) -> str:
    """A map's text alternative from its values: each label with its number of countries."""
    counts = Counter(labels.values())
    return "World map; " + "; ".join(f"{label}: {n} {'country' if n == 1 else 'countries'}"
                                     for label, n in sorted(counts.items()))


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def hover_map(png: bytes, width: int, layer: ET.Element, alt: str) -> str:
    """The HTML of a map PNG (as a data URI, at ``width`` pixels) under its hover layer."""
    wrap = ET.Element("div", {"class": "aigov-hovermap", "style": f"max-width: {width}px"})
    ET.SubElement(wrap, "img", {"src": data_uri(png),
                                "alt": alt, "width": str(width)})
    wrap.append(layer)
    return ET.tostring(wrap, encoding="unicode", method="html")
