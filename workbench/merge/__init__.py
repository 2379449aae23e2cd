"""Fuzzy alignment of two code trees (rapidfuzz) and merge plans."""
