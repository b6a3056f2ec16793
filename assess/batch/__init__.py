"""Batch: many inputs -> results, reports, cohort statistics and output files."""
