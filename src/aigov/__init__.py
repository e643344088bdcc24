"""Networks of AI Governance: data access, analysis and the book build."""
import sys

# jsonschema (imported by nbformat, myst-nb and Jupyter Book) imports rfc3987_syntax when it is
# installed, to check the "iri" formats, and that compiles 39 grammars at import: about a second
# in every process and kernel. No schema the report validates checks those formats.
sys.modules.setdefault("rfc3987_syntax", None)
