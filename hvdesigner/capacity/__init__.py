"""Sizing maths (Qt-free): bandwidth a design needs, RPO, storage and initial replication."""
