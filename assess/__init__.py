"""assess: export-quality self-assessment against the themes of an export quality award.

The public API lives in `assess.api`; this package root stays import-light so the CLI starts fast.
"""

__version__ = "0.1.0"
