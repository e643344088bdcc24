"""World maps: Natural Earth 1:50m, split at the antimeridian, in the Equal Earth projection."""

from importlib import metadata
from pathlib import Path

import antimeridian
import geopandas as gpd
import pycountry
import shapely
from shapely.geometry import Polygon, shape

from . import readlog, store
from .sources import fetch

CRS = "EPSG:8857"  # Equal Earth
SIMPLIFY_M = 1_000  # metres, in the projection
_NO_NUMERIC = {"Kosovo": "XKX"}  # features without an ISO numeric id


def _iso3(numeric: str | None, name: str) -> str | None:
    if numeric:
        country = pycountry.countries.get(numeric=numeric)
        return country.alpha_3 if country else None
    return _NO_NUMERIC.get(name)


@readlog.cached
def world() -> gpd.GeoDataFrame:
    """Country polygons (Antarctica dropped) with ``iso3`` and ``name``, projected (kept in the
    build's store: deriving them takes a second)."""
    path = fetch("world_50m")
    versions = [f"{d} {metadata.version(d)}" for d in ("geopandas", "shapely", "antimeridian", "pycountry")]
    return store.layer("world", [readlog.sha256_file(path), Path(__file__).read_bytes(), *versions],
                       lambda: _world(path))


def _world(path: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path, layer="countries").set_crs(4326, allow_override=True)
    gdf["iso3"] = [_iso3(i, n) for i, n in zip(gdf["id"], gdf["name"])]
    gdf = gdf[gdf["name"] != "Antarctica"].copy()
    gdf = gdf.set_geometry(split_antimeridian(gdf.geometry, fix_winding=True))
    gdf = gdf[["iso3", "name", "geometry"]].to_crs(CRS).reset_index(drop=True)
    # Points closer than 1 km to the line through their neighbours are dropped (a third of them):
    # far below a pixel even on a regional map in the page's column, and quicker to draw.
    return gdf.set_geometry(gdf.geometry.simplify(SIMPLIFY_M))


def split_antimeridian(geoms: gpd.GeoSeries, fix_winding: bool = False) -> gpd.GeoSeries:
    """Shapes split where they cross 180 degrees, so they do not band across the map.
    (world-atlas winds outer rings clockwise: pass ``fix_winding=True`` for it.)

    Only a shape wider than 180 degrees can cross; the others are kept as they are (polygons
    re-wound when asked), which spares the splitter's slow point-by-point pass over the world."""
    bounds = geoms.bounds
    crossing = (bounds["maxx"] - bounds["minx"]) > 180
    out = geoms.copy()
    out[crossing] = [shape(antimeridian.fix_shape(g, fix_winding=fix_winding)) for g in geoms[crossing]]
    if fix_winding:
        out[~crossing] = shapely.orient_polygons(geoms[~crossing].values, exterior_cw=False)
    return out


def project(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Any WGS 84 layer in the maps' projection (lines split at the antimeridian)."""
    if gdf.geom_type.isin(["LineString", "MultiLineString"]).any():
        gdf = gdf.set_geometry(split_antimeridian(gdf.geometry))
    return gdf.to_crs(CRS)


@readlog.cached
def sphere() -> gpd.GeoSeries:
    """The outline of the whole globe in the maps' projection (the map's edge)."""
    edge = [(-180, lat) for lat in range(-90, 91)] + [(180, lat) for lat in range(90, -91, -1)]
    return gpd.GeoSeries([Polygon(edge)], crs=4326).to_crs(CRS)


def draw_base(ax, color: str = "#e6e6e6", edgecolor: str = "white") -> None:
    """Grey land on a pale globe, so lines that cross the map's edge visibly end there."""
    sphere().plot(ax=ax, color="#f3f6f9", edgecolor="#c8d0d8", linewidth=0.4)
    world().plot(ax=ax, color=color, edgecolor=edgecolor, linewidth=0.2)
    ax.set_axis_off()
