"""`assess serve`: the web questionnaire for exporters and the consultant's view."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assess.cli.errors import user_errors


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL: sqlite:///file.db (default) or postgresql://...")
    ] = None,
    criteria: Annotated[Path | None, typer.Option("--criteria", "-c", help="Criteria set folder.")] = None,
    profile: Annotated[str | None, typer.Option(help="Weighting profile.")] = None,
) -> None:
    """Serve the web questionnaire; the consultant's password comes from ASSESS_WEB_PASSWORD (stored hashed)."""
    from assess.web.app import serve as run_server

    with user_errors():
        run_server(host, port, db, criteria_dir=criteria, profile=profile)
