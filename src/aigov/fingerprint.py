"""Everything a build reads, in one hash, computed with the standard library only.

A successful build stores it in its ``state.json``; ``aigov build`` compares it first, so a
rebuild with nothing changed ends before pandas, Jupyter and Sphinx are even imported. It covers
every file of the repository (but the build folders, the environment and git's own files), the
curated tables wherever they are, every file a notebook read (the datasets), the parameters and
the settings that choose the data. Anything else changed means the full check runs.
"""
import hashlib
import json
import os
from pathlib import Path

SKIP = {".git", ".venv", "_build", "__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
SETTINGS = ("AIGOV_DATA_MIRROR", "AIGOV_CURATED", "AIGOV_CACHE")


def _files(root: Path, exclude: Path):
    if root.is_file():
        yield root
        return
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIP and not d.endswith(".egg-info")
                               and Path(folder, d).resolve() != exclude)
        yield from (Path(folder, n) for n in sorted(names))


def compute(roots: list[Path], out: Path, parameters: dict, reads: list[str]) -> str:
    """The hash of the files below ``roots`` (but ``out``), the files in ``reads``, the parameters
    and the data settings of the environment."""
    h = hashlib.sha256(json.dumps({"params": parameters, "settings": {k: os.environ.get(k) for k in SETTINGS}},
                                  sort_keys=True).encode())
    out = out.resolve()
    paths = {p.resolve() for root in roots for p in _files(root, out)} | {Path(p) for p in reads}
    for path in sorted(paths):
        h.update(str(path).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"(missing)")
    return h.hexdigest()


def unchanged(roots: list[Path], out: Path, parameters: dict) -> bool:
    """True when the last build in ``out`` succeeded and nothing it read has changed since."""
    try:
        state = json.loads((out / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    reads = state.get("sources", [])
    return bool(state.get("fingerprint")) and (out / "html" / "index.html").is_file() and \
        state["fingerprint"] == compute(roots, out, parameters, reads)
