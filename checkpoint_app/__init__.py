"""Checkpoint (门岗通): the offline gate logger."""

__version__ = "0.1.0"
APP_NAME = "Checkpoint"
