"""The PDF report: result -> typed context -> HTML (Jinja2) -> PDF (WeasyPrint).

WeasyPrint is imported only when a PDF is actually written, so other commands start fast.
"""
