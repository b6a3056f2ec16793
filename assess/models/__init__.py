"""Pydantic models of the core: criteria, responses, answers and results.  No I/O here."""
