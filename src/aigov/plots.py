"""Shared chart types: world maps, ranked bars and presence matrices, in the book's style.

Each function draws on an axis it is given and returns nothing (or the artist a caller may
need); a chapter module composes them into its figures.
"""
import matplotlib.pyplot as plt
import pandas as pd

from . import maps, readlog
from .style import FOCUS, PALETTE

# A state smaller than this (km², projected) gets a dot as well, so it can be seen on a world map.
SMALL_STATE_KM2 = 25_000


@readlog.cached
def _small_state_points() -> pd.DataFrame:
    """A point inside each state too small to see on a world map (x, y; ISO3 index)."""
    w = maps.world()
    small = w[w.area / 1e6 < SMALL_STATE_KM2].dropna(subset=["iso3"]).drop_duplicates("iso3")
    pts = small.representative_point()
    return pd.DataFrame({"x": pts.x.to_numpy(), "y": pts.y.to_numpy()}, index=small["iso3"].to_numpy())


def small_states(ax, codes, color, size: float = 9) -> None:
    """Dots on the states among ``codes`` too small to see on a world map (e.g. Singapore);
    ``color`` is one colour, or a mapping from code to colour."""
    pts = _small_state_points()
    pts = pts[pts.index.isin(list(codes))]
    if len(pts):
        colors = [color[c] for c in pts.index] if isinstance(color, dict) else color
        ax.scatter(pts["x"], pts["y"], s=size, color=colors, edgecolor="white", linewidth=0.4, zorder=4)


def _outline(ax, focus) -> None:
    """Outline the focus countries."""
    if len(focus):
        w = maps.world()
        w[w["iso3"].isin(list(focus))].plot(ax=ax, facecolor="none", edgecolor=FOCUS, linewidth=1.0)


def membership_map(ax, status: dict[str, str], focus: list[str] = (), title: str | None = None,
                   colors: dict[str, str] | None = None, secondary: set[str] = frozenset()) -> None:
    """Countries coloured by status ('direct' member, 'via_eu', or other keys of ``colors``);
    ``secondary`` members (known from a news or government report only) hatched; focus
    countries outlined. Draws the grey base first."""
    colors = colors or {"direct": PALETTE[0], "via_eu": PALETTE[4]}
    w = maps.world()
    maps.draw_base(ax)
    for key, color in colors.items():
        sel = w[w["iso3"].map(status.get) == key]
        if len(sel):
            sel.plot(ax=ax, color=color, edgecolor="white", linewidth=0.2)
        small_states(ax, [c for c, s in status.items() if s == key], color)
    if secondary:
        w[w["iso3"].isin(secondary)].plot(ax=ax, facecolor="none", edgecolor="white", hatch="////", linewidth=0)
    _outline(ax, focus)
    if title:
        ax.set_title(title, fontsize=10)


def extent(codes, margin: float = 0.06) -> tuple[float, float, float, float] | None:
    """Map extent (xmin, xmax, ymin, ymax, projected) around ``codes``' mainland shapes."""
    w = maps.world()
    sel = w[w["iso3"].isin(list(codes))]
    if sel.empty:
        return None
    # the largest polygon of each country, so far-flung islands do not stretch the view
    parts = sel.explode(index_parts=False)
    parts = parts.assign(area=parts.area).sort_values("area").groupby("iso3").tail(1)
    x0, y0, x1, y1 = parts.total_bounds
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return x0 - dx, x1 + dx, y0 - dy, y1 + dy


def choropleth(ax, values: pd.Series, focus=(), cmap: str = "YlGnBu", vmin=None, vmax=None,
               view=None, title: str | None = None, colorbar_label: str | None = None):
    """Countries coloured by ``values`` (ISO3 index; NaN and absent codes stay grey), focus
    countries outlined; zoomed to ``view`` (an :func:`extent`) when given."""
    w = maps.world()
    maps.draw_base(ax)
    data = w.assign(value=w["iso3"].map(values)).dropna(subset=["value"])
    vmin = data["value"].min() if vmin is None else vmin
    vmax = data["value"].max() if vmax is None else vmax
    if len(data):
        data.plot(ax=ax, column="value", cmap=cmap, vmin=vmin, vmax=vmax, edgecolor="white", linewidth=0.2)
    _outline(ax, focus)
    if view is not None:
        ax.set_xlim(view[0], view[1])
        ax.set_ylim(view[2], view[3])
    if title:
        ax.set_title(title, fontsize=10)
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(vmin=vmin, vmax=vmax))
    bar = plt.colorbar(sm, ax=ax, orientation="horizontal", fraction=0.045, pad=0.02, aspect=35)
    bar.ax.tick_params(labelsize=8)
    if colorbar_label:
        bar.set_label(colorbar_label, fontsize=8)
    return bar


def ranked_bars(ax, labels: pd.Series, values: pd.Series, highlight=(), fmt: str = "{:,.0f}",
                color: str = PALETTE[0]) -> None:
    """Horizontal bars, largest on top, each labelled with its value; ``highlight`` labels
    (e.g. focus countries) in the focus colour."""
    order = pd.DataFrame({"label": list(labels), "value": list(values)}).iloc[::-1]
    colors = [FOCUS if lab in set(highlight) else color for lab in order["label"]]
    ax.barh(order["label"], order["value"], color=colors)
    span = order["value"].max() if len(order) else 0
    for y, v in enumerate(order["value"]):
        ax.text(v + span * 0.01, y, fmt.format(v), va="center", fontsize=8.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, span * 1.12 if span else 1)


def presence_matrix(ax, matrix: pd.DataFrame, colors: dict, labels: dict | None = None) -> None:
    """A grid of rows (e.g. countries) by columns (e.g. forums) whose cells hold a category key
    of ``colors`` (empty or missing cells stay white); ``labels`` names the keys in a legend."""
    keys = list(colors)
    for i, row in enumerate(matrix.index):
        for j, col in enumerate(matrix.columns):
            key = matrix.at[row, col]
            if key in colors:
                ax.add_patch(plt.Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, color=colors[key], linewidth=0))
    ax.set_xlim(-0.5, len(matrix.columns) - 0.5)
    ax.set_ylim(len(matrix.index) - 0.5, -0.5)
    ax.set_xticks(range(len(matrix.columns)), matrix.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(matrix.index)), matrix.index)
    ax.grid(False)
    ax.tick_params(length=0)
    if labels:
        handles = [plt.Rectangle((0, 0), 1, 1, color=colors[k]) for k in keys if k in labels]
        ax.legend(handles, [labels[k] for k in keys if k in labels], frameon=False,
                  loc="upper left", bbox_to_anchor=(1.01, 1))


# Offsets (points) place_labels tries, in turn: right, left, above, below, then the diagonals.
LABEL_OFFSETS = [(6, 0), (-6, 0), (0, 7), (0, -7), (6, 6), (-6, 6), (6, -6), (-6, -6)]


def _overlap(a, b) -> float:
    """Area shared by two display-space boxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(ax, x, y, labels, offsets=LABEL_OFFSETS, avoid=(), **text) -> list:
    """Label points without overlaps: each label takes the first offset (in points, tried at one,
    two and three times its length) whose box overlaps no label placed before it nor a box of
    ``avoid`` (display coordinates) and stays inside the axes; if none does, the offset with the
    least overlap. A label moved beyond the first ring gets a thin leader line. Call it once the
    axes' limits and the figure's layout are final. Returns the labels' boxes."""
    renderer = ax.figure.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    tried = [(dx * k, dy * k, k) for k in (1, 2, 3) for dx, dy in offsets]
    placed = list(avoid)

    def draw(xy, label, dx, dy, leader=False):
        return ax.annotate(label, xy, xytext=(dx, dy), textcoords="offset points",
                           ha="left" if dx > 0 else "right" if dx < 0 else "center",
                           va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                           arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "#777777", "shrinkA": 0,
                                       "shrinkB": 2} if leader else None, **text)

    for xy, label in zip(zip(x, y), labels):
        best = None
        for dx, dy, k in tried:
            ann = draw(xy, label, dx, dy)
            box = ann.get_window_extent(renderer)
            ann.remove()
            cost = sum(_overlap(box, b) for b in placed) + box.width * box.height - _overlap(box, inside)
            if best is None or cost < best[0]:
                best = (cost, dx, dy, k, box)
            if cost == 0:
                break
        _, dx, dy, k, box = best
        draw(xy, label, dx, dy, leader=k > 1)
        placed.append(box)
    return placed[len(avoid):]
