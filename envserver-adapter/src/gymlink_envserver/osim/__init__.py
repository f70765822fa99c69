"""osim-rl's challenge environments (L2M2019Env, ProstheticsEnv, L2RunEnv) as Gymnasium environments.

Each environment runs in its own worker process (:mod:`.worker`), because OpenSim models leak memory and interfere
with each other inside one process; the worker is replaced after ``recycle_episodes`` episodes. The server side
(:class:`.env.OsimEnv`) adapts osim-rl's old-gym API: ``done`` is split into ``terminated`` (the model fell: osim's
``is_done()``) and ``truncated`` (osim's time limit, ``istep >= spec.timestep_limit``); actions are
``Box(0, 1, (n_muscles,), float32)``.

Observations (make kwarg ``observation``):

- ``"flat"`` (default): osim-rl's projected vector (``obs_as_dict=False``; L2M2019Env 339 floats, ProstheticsEnv
  160, L2RunEnv 43) as ``Box(-inf, inf, (n,), float32)``, or with osim-rl's own bounds where it declares valid ones.
- ``"dict"``: osim-rl's observation dict (L2M2019Env's ``get_observation_dict()``: ``v_tgt_field``, ``pelvis``,
  ``r_leg``, ``l_leg``; older envs: the ``state_desc`` dict) as a Gymnasium ``Dict`` of unbounded float32 Boxes,
  nested like the dict (scalars are shape ``()``).

Which ids exist depends on the installed osim-rl: 3.x has only L2M2019Env (``pip install
envserver-adapter[osim]``), 2.1.x only ProstheticsEnv and L2RunEnv (``[osim2018]``). They are registered and
allowlisted whenever their osim-rl is importable.
"""

from __future__ import annotations

import importlib.util

import gymnasium as gym

ENV_CLASSES = ("L2M2019Env", "ProstheticsEnv", "L2RunEnv")
"""osim-rl class names, which are also the Gymnasium ids (as the challenge clients named them)."""


def osim_available() -> bool:
    """Whether osim-rl (the ``osim`` package) is importable, without importing it."""
    return importlib.util.find_spec("osim") is not None


def register() -> list[str]:
    """Registers the ids of the osim-rl classes the installed osim-rl has; returns them (empty without osim-rl).

    Checks the class names in osim-rl's source without importing it: importing osim loads OpenSim, which is slow
    and must happen only in worker processes.
    """
    spec = importlib.util.find_spec("osim")
    if spec is None or not spec.submodule_search_locations:
        return []
    import pathlib

    source = pathlib.Path(next(iter(spec.submodule_search_locations)), "env", "osim.py")
    try:
        text = source.read_text(encoding="utf-8")
    except OSError:
        return []
    ids = [name for name in ENV_CLASSES if f"class {name}(" in text]
    for name in ids:
        if name not in gym.registry:
            gym.register(id=name, entry_point="gymlink_envserver.osim.env:OsimEnv", kwargs={"osim_class": name})
    return ids
