"""External datasets: declared in ``data/sources.csv`` by URL and SHA-256.

Every entry point (the CLI, ``make``, the tests, a notebook opened by hand) finds the
files by one rule, :func:`mirror_dir`: the ``--mirror`` option, else the
``AIGOV_DATA_MIRROR`` environment variable, else ``../shared/data-mirror`` beside the
repository when that folder exists; without any of them a file is downloaded once
into a cache by pooch. The hash is verified either way; a mismatch is an error.
"""
import os
import warnings
from functools import cache
from pathlib import Path

import pandas as pd

with warnings.catch_warnings():  # pooch imports tqdm.auto, which warns in a kernel without ipywidgets
    warnings.filterwarnings("ignore", message="IProgress not found")
    import pooch

from . import readlog
from .errors import DataSourceError
from .paths import MANIFEST, MIRROR_ENV, ROOT

CACHE_ENV = "AIGOV_CACHE"
DEFAULT_MIRROR = ROOT.parent / "shared" / "data-mirror"


def mirror_dir(option: str | os.PathLike | None = None) -> Path | None:
    """The folder the datasets are read from, or None to download them (see the module doc)."""
    chosen = option or os.environ.get(MIRROR_ENV)
    if chosen:
        return Path(chosen).resolve()
    return DEFAULT_MIRROR.resolve() if DEFAULT_MIRROR.is_dir() else None


@cache
def _manifest(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str).set_index("dataset")


def manifest(path: Path = MANIFEST) -> pd.DataFrame:
    """The manifest: one row per dataset (path, sha256, url, licence, citation...)."""
    return _manifest(Path(path)).copy()


def _entry(key: str, manifest_path: Path) -> pd.Series:
    table = _manifest(Path(manifest_path))
    if key not in table.index:
        raise DataSourceError(
            f"dataset '{key}' is not declared in {manifest_path}; known: {', '.join(table.index)}"
        )
    return table.loc[key]


def _check_hash(key: str, path: Path, expected: str) -> None:
    actual = pooch.file_hash(str(path), alg="sha256")
    if actual != expected:
        raise DataSourceError(
            f"dataset '{key}': SHA-256 mismatch for {path}\n"
            f"  expected {expected}\n  actual   {actual}\n"
            "The file is not the version the report was built on. Restore it from the URL in "
            "data/sources.csv, or, if the publisher changed it on purpose, update the hash there "
            "and review what changes."
        )


def fetch(key: str, mirror: str | os.PathLike | None = None, manifest_path: Path = MANIFEST) -> Path:
    """Local path of dataset ``key``, verified against its SHA-256."""
    entry = _entry(key, manifest_path)
    mirror = mirror_dir(mirror)
    if mirror:
        path = Path(mirror) / entry["path"]
        if not path.is_file():
            raise DataSourceError(
                f"dataset '{key}': {entry['path']} not found in the mirror folder {mirror}.\n"
                f"Put the file there (it is served at {entry['url']}), point {MIRROR_ENV} at a "
                "folder that has it, or unset it to download."
            )
        _check_hash(key, path, entry["sha256"])
    else:
        cache_dir = os.environ.get(CACHE_ENV) or pooch.os_cache("aigov")
        try:
            path = Path(pooch.retrieve(
                entry["url"], known_hash=f"sha256:{entry['sha256']}",
                fname=entry["path"].replace("/", "__"), path=cache_dir, progressbar=False,
            ))
        except ValueError as exc:  # pooch's hash mismatch
            raise DataSourceError(f"dataset '{key}': {exc}") from exc
        except Exception as exc:  # network errors: say what to do offline
            raise DataSourceError(
                f"dataset '{key}': could not download {entry['url']} ({exc}).\n"
                f"Offline? Set {MIRROR_ENV} to a folder holding {entry['path']}."
            ) from exc
    readlog.record(path, entry["sha256"])
    return path
