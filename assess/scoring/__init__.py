"""Scoring: a pure function of (criteria set, validated response) -> explainable result."""
