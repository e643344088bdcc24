"""Derived layers kept between builds: read back while their inputs are the same, made again
when they change, and made every time without a store."""
import geopandas as gpd
from shapely.geometry import Point

from aigov import store
from aigov.paths import STORE_ENV


def test_a_layer_is_made_once_per_content_of_its_inputs(tmp_path, monkeypatch):
    made = []

    def make():
        made.append(1)
        return gpd.GeoDataFrame({"iso3": ["KEN"]}, geometry=[Point(1, 2)], crs="EPSG:8857")

    monkeypatch.delenv(STORE_ENV, raising=False)
    store.layer("t", ["a"], make), store.layer("t", ["a"], make)
    assert len(made) == 2  # no store: made each time
    monkeypatch.setenv(STORE_ENV, str(tmp_path))
    first = store.layer("t", ["a"], make)
    again = store.layer("t", ["a"], make)
    assert len(made) == 3 and again.equals(first) and again.crs == first.crs
    store.layer("t", ["b"], make)  # another input: made again
    assert len(made) == 4 and len(list(tmp_path.glob("t-*.parquet"))) == 2
