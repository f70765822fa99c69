"""Makes Gymnasium environments for the server, turning every way ``gymnasium.make`` can fail into a user message."""

from __future__ import annotations

import importlib
import importlib.util
import logging

import gymnasium as gym

from gymlink_envserver.errors import (
    DependencyMissing,
    EnvironmentFailed,
    EnvServerError,
    InvalidArgument,
    UnknownEnvironment,
    clip,
    echo,
)
from gymlink_envserver.registry import FAMILY_EXTRAS, family_of, is_entry_point

logger = logging.getLogger("gymlink_envserver")


def make_env(env_id: str, kwargs: dict, max_episode_steps: int | None) -> gym.Env:
    """Calls ``gymnasium.make``, turning its failures into EnvServerErrors that name the env id."""
    try:
        if family_of(env_id) == "gymnasium.envs.mujoco":
            route_mujoco_warnings()
        return gym.make(_make_target(env_id), max_episode_steps=max_episode_steps, **kwargs)
    except (gym.error.UnregisteredEnv, gym.error.DeprecatedEnv) as error:
        raise UnknownEnvironment(f"environment '{env_id}' is allowed but cannot be found: {error}") from error
    except TypeError as error:
        raise InvalidArgument(f"cannot make '{env_id}' with kwargs {echo(kwargs)}: {clip(str(error))}") from error
    except (ValueError, AssertionError) as error:
        if not kwargs:
            raise _make_failure(env_id, error) from error
        # The client's values passed the policy's bounds but the constructor still refused them.
        raise InvalidArgument(f"cannot make '{env_id}' with kwargs {echo(kwargs)}: {type(error).__name__}: "
                              f"{clip(str(error))}") from error
    except (ModuleNotFoundError, AttributeError) as error:
        if is_entry_point(env_id):
            raise UnknownEnvironment(f"entry point '{env_id}' cannot be loaded: {error}") from error
        raise _make_failure(env_id, error) from error
    except gym.error.DependencyNotInstalled as error:
        extra = FAMILY_EXTRAS.get(family_of(env_id) or "")
        hint = f"; install it with: pip install 'gymlink-envserver[{extra}]'" if extra else ""
        raise DependencyMissing(
            f"environment '{env_id}' needs a package that is not installed: {error}{hint}") from error
    except EnvServerError:
        raise
    except Exception as error:  # noqa: BLE001 - any env failure becomes INTERNAL
        raise _make_failure(env_id, error) from error


_mujoco_warnings_seen: set[str] = set()


def route_mujoco_warnings() -> None:
    """Sends MuJoCo's warnings to this server's log, each text once (idempotent; needs ``mujoco`` importable).

    MuJoCo's default handler prints every warning and appends it to ``MUJOCO_LOG.TXT`` in the working directory
    (the user's, for the embedded server). MuJoCo >= 3.17 warns on every make of Gymnasium's own models that their
    ``settotalmass`` attribute is deprecated, which no user can act on: deprecation notices go to INFO.
    """
    if importlib.util.find_spec("mujoco") is None:
        return
    import mujoco

    def warn(text: str) -> None:
        if text not in _mujoco_warnings_seen:
            _mujoco_warnings_seen.add(text)
            logger.log(logging.INFO if "deprecated" in text else logging.WARNING, "MuJoCo: %s", text)

    mujoco.set_mju_user_warning(warn)


def _make_target(env_id: str) -> str | gym.envs.registration.EnvSpec:
    """What to pass to ``gymnasium.make`` for an allowed id.

    A ``module:Name`` string means Gymnasium's own "import module, then make the id Name" when importing registers
    Name, and otherwise an ad-hoc spec with that entry point (e.g. ``my_pkg.envs:MyEnv``).
    """
    if not is_entry_point(env_id):
        return env_id
    module, name = env_id.split(":")
    importlib.import_module(module)
    if name in gym.registry:
        return env_id
    return gym.envs.registration.EnvSpec(id=env_id, entry_point=env_id)


def _make_failure(env_id: str, error: Exception) -> EnvironmentFailed:
    logger.warning("making %s raised", env_id, exc_info=True)
    return EnvironmentFailed(f"environment '{env_id}' raised {type(error).__name__} while being made: {error}")
