"""The domain core: plain objects and rules. Imports nothing but the standard library."""
