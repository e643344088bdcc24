"""Writing the book's source files only when their bytes change: Sphinx re-reads a page whose
file, or a file it includes or links for download, is newer than its last reading, so a file
rewritten with the same bytes would make it re-read pages that did not change."""
import os
from pathlib import Path


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write ``data`` (text as UTF-8) to ``path`` unless the file already holds it; True if written."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def move_if_changed(src: Path, dest: Path) -> bool:
    """Move ``src`` to ``dest`` unless ``dest`` already holds the same bytes (``src`` is then
    removed); True if moved."""
    src, dest = Path(src), Path(dest)
    if dest.is_file() and dest.stat().st_size == src.stat().st_size and dest.read_bytes() == src.read_bytes():
        src.unlink()
        return False
    os.replace(src, dest)
    return True
