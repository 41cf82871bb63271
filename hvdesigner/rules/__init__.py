"""The rule checker (Qt-free): the catalog, one module per rule family, and the engine."""
