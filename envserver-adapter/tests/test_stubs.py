"""The committed Python stubs are exactly what scripts/generate_stubs.py makes from the .proto (no drift)."""

import importlib.util
import sys
from pathlib import Path

import pytest

ADAPTER = Path(__file__).resolve().parent.parent
PROTO_DIR = ADAPTER.parent / "proto" / "src" / "main" / "proto"
COMMITTED = ADAPTER / "src" / "gymlink_envserver" / "_proto"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_stubs", ADAPTER / "scripts" / "generate_stubs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.skipif(not PROTO_DIR.is_dir(), reason=f"proto sources not present at {PROTO_DIR} (e.g. Docker context)")
def test_committedStubs_matchRegeneratedStubs(tmp_path):
    pytest.importorskip("grpc_tools", reason="grpcio-tools is in the [dev] extra")
    _generator().generate(PROTO_DIR, tmp_path)
    fresh, committed = _files(tmp_path), _files(COMMITTED)
    drifted = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert not drifted, (f"Python stubs differ from {PROTO_DIR}: {drifted}; "
                         "run `python envserver-adapter/scripts/generate_stubs.py` and commit the result")


def test_stubs_describeTheProtoPackage():
    from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb

    assert pb.DESCRIPTOR.name == "gymlink/v1/env_service.proto"
    assert pb.DESCRIPTOR.package == "gymlink.v1"
    assert "EnvService" in pb.DESCRIPTOR.services_by_name
