"""hvdesigner: design and check Microsoft Hyper-V Replica disaster-recovery topologies."""

__version__ = "0.1.0"
