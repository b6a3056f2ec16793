"""Blank questionnaires generated from a criteria set."""
