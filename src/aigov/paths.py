"""Where things are in the repository. ``AIGOV_CURATED`` points the package at another folder of
curated tables (``aigov build --curated DIR`` sets it for the notebooks it runs)."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CURATED_ENV = "AIGOV_CURATED"
STORE_ENV = "AIGOV_STORE"  # the build's folder of derived layers (see store)
MIRROR_ENV = "AIGOV_DATA_MIRROR"  # the folder of the external datasets (see sources.mirror_dir)
CURATED = Path(os.environ.get(CURATED_ENV) or DATA / "curated").resolve()
MANIFEST = DATA / "sources.csv"
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
BUILD = ROOT / "_build"
