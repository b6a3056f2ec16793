"""The consoles the CLI prints to: results on stdout, problems on stderr."""

from __future__ import annotations

from rich.console import Console

# When output goes to a file or pipe, rich assumes 80 columns; tables of Chinese firm names need more.
_PIPE_WIDTH = 140

out = Console(highlight=False, soft_wrap=True)
if not out.is_terminal:
    out = Console(highlight=False, soft_wrap=True, width=_PIPE_WIDTH)
err = Console(stderr=True, highlight=False, soft_wrap=True)
