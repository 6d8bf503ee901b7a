"""Rig Advisor core: catalog, engine, feeds, importers and report. Never imports Qt."""

__version__ = "0.1.0"
