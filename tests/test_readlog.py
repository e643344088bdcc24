"""The read log: a loader that keeps its result in memory still records its files on every call."""
from aigov import readlog


def test_a_cached_loader_records_its_file_in_every_log(tmp_path, monkeypatch):
    data = tmp_path / "data.csv"
    data.write_text("x\n1\n")
    calls = []

    @readlog.cached
    def load():
        calls.append(1)
        readlog.record(data, readlog.sha256_file(data))
        return data.read_text()

    @readlog.cached
    def derived():  # a cached result built on another: records the file too
        return load().upper()

    for log in ("first.jsonl", "second.jsonl"):
        monkeypatch.setenv(readlog.ENV, str(tmp_path / log))
        assert derived() == "X\n1\n"
        assert readlog.read(tmp_path / log) == {str(data.resolve()): readlog.sha256_file(data)}
    assert len(calls) == 1
