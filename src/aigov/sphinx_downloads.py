"""A Sphinx extension: a page does not depend on the bytes of the files it offers for download.

Sphinx reads a page again when a file it links with ``{download}`` is newer than the page's last
reading, though the page shows only the file's name and link: the file's folder under
``_downloads/`` is named from its path, and every build copies the files again. The build
rewrites a figure's CSV, the curated tables' zip and the data page's tables whenever their
notebook runs or a curated row changes; with this extension only the pages whose own source
changed are read and written again. Since Sphinx copies the downloads only when it writes some
page, the extension copies them (those that changed) at the end of every build.
"""
from sphinx import addnodes


def _forget_downloads(app, doctree) -> None:
    env = app.env
    for node in doctree.findall(addnodes.download_reference):
        if "://" not in node["reftarget"]:
            env.dependencies[env.docname].discard(env.relfn2path(node["reftarget"], env.docname)[0])


def _copy_downloads(app, exception) -> None:
    if exception is None and hasattr(app.builder, "copy_download_files"):
        app.builder.copy_download_files()


def setup(app):
    app.connect("doctree-read", _forget_downloads, priority=900)  # after Sphinx records them (500)
    app.connect("build-finished", _copy_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
