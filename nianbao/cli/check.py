"""CLI commands of this area (placeholder until the area registers its commands)."""

from . import app  # noqa: F401
