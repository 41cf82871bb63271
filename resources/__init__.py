"""Bundled data: the published JSON Schema and the example designs (installed as hvdesigner.resources)."""
