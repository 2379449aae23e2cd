"""Fuzzy matching with rapidfuzz: finding quoted passages in documents."""
