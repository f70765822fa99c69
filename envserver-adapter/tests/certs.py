"""Real X.509 material for TLS tests, made with the openssl command: a CA, a server and a client certificate."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Certs:
    """Paths of PEM files: ``ca`` signed ``server`` (for 127.0.0.1 and localhost) and ``client``."""

    ca: Path
    ca_key: Path
    server: Path
    server_key: Path
    client: Path
    client_key: Path

    def read(self, name: str) -> bytes:
        """The bytes of one of the files, e.g. ``read("ca")``."""
        return getattr(self, name).read_bytes()


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def _signed(directory: Path, name: str, ca: Path, ca_key: Path, extensions: str) -> tuple[Path, Path]:
    key, csr, cert, ext = (directory / f"{name}.{suffix}" for suffix in ("key", "csr", "crt", "ext"))
    ext.write_text(extensions)
    _openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
             "-subj", f"/CN={name}")
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
             "-out", str(cert), "-days", "2", "-extfile", str(ext))
    return cert, key


def make_certs(directory: Path) -> Certs:
    """Creates a fresh CA, a server certificate for 127.0.0.1/localhost and a client certificate in ``directory``."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make test certificates")
    ca, ca_key = directory / "ca.crt", directory / "ca.key"
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca),
             "-days", "2", "-subj", "/CN=gymlink test CA")
    server, server_key = _signed(directory, "server", ca, ca_key,
                                 "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    client, client_key = _signed(directory, "client", ca, ca_key, "extendedKeyUsage=clientAuth\n")
    return Certs(ca, ca_key, server, server_key, client, client_key)
