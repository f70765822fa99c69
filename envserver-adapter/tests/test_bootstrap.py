"""bin/bootstrap's choice of env-server extras: box2d and mujoco by default, added to an existing .venv.

Runs the real script in a scratch copy of the repository layout with a stand-in python, which records the pip calls
instead of installing, and an up-to-date jar, so that no build runs.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

BOOTSTRAP = Path(__file__).resolve().parents[2] / "bin" / "bootstrap"

FAKE_PYTHON = """#!/bin/sh
# "-m venv DIR": make DIR/bin/python, a recorder of its own calls that "installs" the env server command.
if [ "$1" = -m ] && [ "$2" = venv ]; then
  mkdir -p "$3/bin"
  cat > "$3/bin/python" <<'INNER'
#!/bin/sh
echo "$*" >> "$(dirname "$0")/../pip.log"
server="$(dirname "$0")/gymlink-envserver"
case "$*" in *"install -q -e"*) touch "$server"; chmod +x "$server";; esac
INNER
  chmod +x "$3/bin/python"
fi
"""


@pytest.fixture()
def repo(tmp_path):
    (tmp_path / "bin").mkdir()
    shutil.copy(BOOTSTRAP, tmp_path / "bin" / "bootstrap")
    (tmp_path / "envserver-adapter").mkdir()
    (tmp_path / "envserver-adapter" / "pyproject.toml").write_text("[project]\n")
    (tmp_path / "agent" / "target").mkdir(parents=True)
    (tmp_path / "agent" / "target" / "gymlink-agent.jar").write_text("jar")
    python = tmp_path / "fake-python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def bootstrap(repo: Path, extras: str | None = None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "GYMLINK_PY_EXTRAS"} | {"PYTHON": str(repo / "fake-python")}
    if extras is not None:
        env["GYMLINK_PY_EXTRAS"] = extras
    subprocess.run([str(repo / "bin" / "bootstrap")], env=env, check=True, capture_output=True, timeout=60)
    log = repo / ".venv" / "pip.log"
    calls = [line for line in log.read_text().splitlines() if " -e " in line] if log.exists() else []
    log.unlink(missing_ok=True)
    return calls


def installed_with(repo: Path, marker: str) -> None:
    """A .venv as an earlier bootstrap left it, with these extras."""
    (repo / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    server = repo / ".venv" / "bin" / "gymlink-envserver"
    server.touch()
    server.chmod(0o755)
    time.sleep(0.01)
    (repo / ".venv" / ".gymlink-installed").write_text(marker + "\n")


def test_freshClone_installsBox2dAndMujocoByDefault(repo):
    assert bootstrap(repo) == ["-m pip install -q -e ./envserver-adapter[box2d,dev,mujoco]"]
    assert (repo / ".venv" / ".gymlink-installed").read_text().strip() == "box2d,dev,mujoco"


def test_existingVenvWithoutTheNewExtras_getsThemAndKeepsItsOwn(repo):
    installed_with(repo, "dev,osim")
    assert bootstrap(repo) == ["-m pip install -q -e ./envserver-adapter[box2d,dev,mujoco,osim]"]


def test_upToDateVenv_installsNothing_andExtrasAddToTheDefaults(repo):
    installed_with(repo, "box2d,dev,mujoco")
    assert bootstrap(repo) == []
    assert bootstrap(repo, "osim") == ["-m pip install -q -e ./envserver-adapter[box2d,dev,mujoco,osim]"]
    assert bootstrap(repo, "osim") == []
