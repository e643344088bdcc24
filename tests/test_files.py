"""Files with the same bytes are not rewritten, so Sphinx does not read their pages again."""
import os

from aigov.files import move_if_changed, write_if_changed


def test_same_bytes_keep_the_file_and_its_time(tmp_path):
    path = tmp_path / "a.txt"
    assert write_if_changed(path, "one")
    os.utime(path, ns=(1, 1))
    assert not write_if_changed(path, "one") and path.stat().st_mtime_ns == 1
    assert write_if_changed(path, "two") and path.read_text() == "two"
    src = tmp_path / "new.txt"
    src.write_text("two")
    os.utime(path, ns=(1, 1))
    assert not move_if_changed(src, path) and not src.exists() and path.stat().st_mtime_ns == 1
    src.write_text("three")
    assert move_if_changed(src, path) and path.read_text() == "three" and not src.exists()
