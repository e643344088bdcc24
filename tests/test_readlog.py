"""The read log: a loader that keeps its result in memory still records its files on every call."""
import pandas as pd

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


QUERIES = """
import pandas as pd
from aigov import readlog

@readlog.query
def rows(key, path):
    readlog.record(path, readlog.sha256_file(path))
    df = pd.read_csv(path)
    return df[df["a"] == key]

@readlog.query
def count(key, path):  # a query inside a query: only the outer one is the notebook's
    return len(rows(key, path))

@readlog.cached
def cached_count(path):
    return count("x", path)
"""


def test_a_query_logs_its_call_and_result_not_the_files_it_reads(tmp_path, monkeypatch):
    data = tmp_path / "data.csv"
    data.write_text("a,b\nx,1\ny,2\n")
    (tmp_path / "readlog_fixture.py").write_text(QUERIES)
    monkeypatch.syspath_prepend(str(tmp_path))
    import readlog_fixture as q

    for log in ("first.jsonl", "second.jsonl"):  # the second call is cached: it logs the same
        monkeypatch.setenv(readlog.ENV, str(tmp_path / log))
        assert q.cached_count(data) == 1
        assert readlog.read(tmp_path / log) == {}
        [(call, digest)] = readlog.queries(tmp_path / log).items()
        assert call.startswith("readlog_fixture:count ") and digest == readlog.digest(1)
        assert readlog.sources(tmp_path / log) == [str(data.resolve())]

    monkeypatch.setenv(readlog.ENV, str(tmp_path / "third.jsonl"))
    q.rows("y", data)
    monkeypatch.delenv(readlog.ENV)
    [(call, digest)] = readlog.queries(tmp_path / "third.jsonl").items()
    assert readlog.answer(call) == digest
    data.write_text("a,b\nx,5\ny,2\n")  # another row changed: the same answer
    assert readlog.answer(call) == digest
    data.write_text("a,b\nx,5\ny,3\n")  # the row it selects changed
    assert readlog.answer(call) not in (None, digest)
    assert readlog.answer("readlog_fixture:gone " + call.split(" ", 1)[1]) is None


def test_a_digest_is_the_tables_content():
    df = pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    assert readlog.digest(df) == readlog.digest(df.copy())
    assert readlog.digest(df) != readlog.digest(df.assign(b=[1, 3]))
    assert readlog.digest(df) != readlog.digest(df.rename(columns={"b": "c"}))
    assert readlog.digest(df) != readlog.digest(df.astype({"b": float}))
    assert readlog.digest(pd.DataFrame({"a": [[1], [2]]})) == readlog.digest(pd.DataFrame({"a": [[1], [2]]}))


def test_the_chapter_titles_answer_changes_with_a_title_not_with_prose(tmp_path, monkeypatch):
    from aigov.curated import chapter_titles
    page = tmp_path / "01_first.md"
    page.write_text("# First chapter\n\nSome prose.\n")
    monkeypatch.setenv(readlog.ENV, str(tmp_path / "log.jsonl"))
    assert chapter_titles(tmp_path) == {"01_first": "First chapter"}
    monkeypatch.delenv(readlog.ENV)
    [(call, digest)] = readlog.queries(tmp_path / "log.jsonl").items()
    assert readlog.read(tmp_path / "log.jsonl") == {}  # the template itself is not a read of the notebook
    page.write_text("# First chapter\n\nOther prose.\n")
    assert readlog.answer(call) == digest
    page.write_text("# The first chapter\n\nOther prose.\n")
    assert readlog.answer(call) != digest


def test_a_query_whose_files_are_unchanged_is_not_asked_again(tmp_path, monkeypatch):
    from aigov.freshness import Inputs
    table = tmp_path / "t.csv"
    table.write_text("a\n1\n")
    read = {"q": {str(table): readlog.sha256_file(table)}}
    asked = []
    monkeypatch.setattr(readlog, "answer", lambda call: asked.append(call) or "new")
    assert Inputs().queries({"q": "old"}, read) == {"q": "old"} and asked == []
    table.write_text("a\n2\n")
    assert Inputs().queries({"q": "old"}, read) == {"q": "new"} and asked == ["q"]
    assert Inputs().queries({"q": "old"}) == {"q": "new"}  # files not known: asked
