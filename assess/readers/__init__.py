"""Readers turn files from many hands into plain data with locations, then into models."""
