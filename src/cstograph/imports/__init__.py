"""Importers of datasets other people publish, into the graph's model (one module each)."""
