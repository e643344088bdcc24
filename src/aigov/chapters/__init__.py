"""One module per chapter: its facts (a dict of plain values) and one function per figure."""
