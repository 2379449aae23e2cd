"""The terminal interface (Textual). The only package that imports Textual."""
