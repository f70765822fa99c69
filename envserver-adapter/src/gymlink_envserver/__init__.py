"""gymlink env server: serves Gymnasium environments to remote agents over gRPC (protocol gymlink.v1)."""

from importlib import metadata

try:
    __version__ = metadata.version("gymlink-envserver")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

PROTOCOL_VERSION = "gymlink.v1/1.0"
"""Protocol name and version this server speaks, reported by GetServerInfo."""
