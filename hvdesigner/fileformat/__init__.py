"""Design files, format v2 (Qt-free; older versions migrate on load): strict loading, deterministic atomic saving, the schema."""

from hvdesigner.fileformat.loader import DesignFileError, load, loads
from hvdesigner.fileformat.writer import DesignSaveError, dumps, save

__all__ = ["DesignFileError", "DesignSaveError", "dumps", "load", "loads", "save"]
