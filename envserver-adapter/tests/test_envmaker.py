"""make_env: MuJoCo's warnings go to the server's log, not to the console and a MUJOCO_LOG.TXT in the cwd."""

import logging

import numpy as np
import pytest

from gymlink_envserver import envmaker

mujoco = pytest.importorskip("mujoco")  # bin/bootstrap installs the mujoco extra

ONE_BODY = '<mujoco><worldbody><body><freejoint/><geom size="0.1"/></body></worldbody></mujoco>'


def test_routeMujocoWarnings_unstableSimulation_loggedOnceAndNoLogFile(tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.INFO, logger="gymlink_envserver")
    envmaker.route_mujoco_warnings()
    model = mujoco.MjModel.from_xml_string(ONE_BODY)
    for _ in range(2):
        data = mujoco.MjData(model)
        data.qvel[:] = np.nan  # MuJoCo warns "Nan, Inf or huge value in QVEL ..." and resets the state
        mujoco.mj_step(model, data)
    warnings = [r for r in caplog.records if r.getMessage().startswith("MuJoCo: Nan, Inf or huge value in")]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING, "the same text twice is logged once"
    assert not (tmp_path / "MUJOCO_LOG.TXT").exists()


def test_makeEnv_mujocoEnv_writesNoLogFileIntoTheWorkingDirectory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = envmaker.make_env("HalfCheetah-v5", {}, None)
    try:
        env.reset(seed=0)
        env.step(env.action_space.sample())
    finally:
        env.close()
    assert not (tmp_path / "MUJOCO_LOG.TXT").exists()
