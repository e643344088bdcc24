"""A Sphinx extension: no button to download a page's source where the site keeps no copy of it.

The book does not copy each page's source into ``_sources/`` (``html_copy_source: false``: the
executed notebooks, their images included, would double the site's size; the data behind every
figure is offered for download beside it). sphinx-book-theme offers that copy on every page all
the same, as a link to ``_sources/`` that leads nowhere. This drops those buttons (the source and
the notebook) and keeps the others of the download menu (print to PDF).
"""
DROPPED = {"download-source-button", "download-notebook-button"}


def _drop_source_buttons(app, pagename, templatename, context, doctree) -> None:
    if app.config.html_copy_source:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"] = [b for b in group["buttons"] if b.get("label") not in DROPPED]


def setup(app):
    app.connect("html-page-context", _drop_source_buttons, priority=502)  # after the theme adds them (501)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
