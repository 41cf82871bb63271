"""Design files, format v1 (Qt-free): strict loading, deterministic atomic saving, the schema."""

from hvdesigner.fileformat.loader import DesignFileError, load, loads
from hvdesigner.fileformat.writer import DesignSaveError, dumps, save

__all__ = ["DesignFileError", "DesignSaveError", "dumps", "load", "loads", "save"]
