"""Derived layers kept between builds, named by the content of what they are made from.

The build points ``AIGOV_STORE`` at a folder of its output; a layer that takes seconds to derive
(the world's country shapes, split at the antimeridian and projected) is then derived once and
read back by later notebooks and builds, as long as its inputs, the code that derives it and
the libraries it uses are the same. Without ``AIGOV_STORE`` (a notebook opened in JupyterLab)
every layer is derived afresh.
"""
import hashlib
import os
from pathlib import Path
from typing import Callable

import geopandas as gpd

from .paths import STORE_ENV


def layer(name: str, made_from: list[str | bytes], make: Callable[[], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The layer ``make()`` returns, read from the store when one made from the same
    ``made_from`` (hashes of the inputs, the code, library versions) is there."""
    folder = os.environ.get(STORE_ENV)
    if not folder:
        return make()
    h = hashlib.sha256()
    for part in made_from:
        h.update(hashlib.sha256(part.encode() if isinstance(part, str) else part).digest())
    path = Path(folder) / f"{name}-{h.hexdigest()[:32]}.parquet"
    if path.is_file():
        return gpd.read_parquet(path)
    value = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    value.to_parquet(tmp)
    os.replace(tmp, path)  # whole or not at all, whichever kernel writes it
    return value
