"""Grader mode: the NeurIPS osim-rl challenge server's flow on the gym-http-api routes, for local rehearsal.

What the challenge grader did, and this one does (see the gymlink README, "Rehearsing a challenge submission"):

1. ``POST /v1/envs/`` with ``{"env_id", "token", "version"}``: the token must be in the tokens file, the version must
   equal the grader's osim-rl version exactly, and a participant may hold at most ``max_envs`` environments. The
   instance id is ``<participant>___<hex>``.
2. ``POST monitor/start/`` (the osim-rl client always sends it), then ``reset/``: each reset starts the next episode
   with the next seed of the fixed list, whatever seed the client asks for. Once every seed has been used, reset
   answers ``{"observation": null}``.
3. ``step/`` as usual; every reward counts.
4. ``POST monitor/close/`` answers ``200 {"reward": score}``, the total reward divided by the number of seeds, once
   all episodes are done; then ``close/``.

Environments expire ``ttl`` seconds after creation. Refusals: missing or unknown token 401, version mismatch or too
many environments 400, an environment that cannot be made 404; every answer carries ``{"message", "type"}``.

Tokens file: one participant per line, ``TOKEN [NAME]``; ``#`` starts a comment; NAME (letters, digits, ``._-``)
names the participant in instance ids and results and defaults to ``p`` plus 8 hex digits of the token's SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from gymlink_envserver.auth import ANONYMOUS
from gymlink_envserver.errors import (
    EnvServerError,
    InstanceNotFound,
    TooManyInstances,
    UnknownEnvironment,
    clip,
    echo,
)
from gymlink_envserver.http_sessions import OpenSessions, unknown_instance
from gymlink_envserver.instances import Instance, InstanceTable, StepOutcome

logger = logging.getLogger("gymlink_envserver")

OSIM_RL_VERSION = "3.0.11"
"""The osim-rl version the ``[osim]`` extra installs; the grader's expected version when osim-rl is absent."""

_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_SEPARATOR = "___"


class GraderRefused(EnvServerError):
    """The grader refuses a request (token, version, limits, flow order); carries its HTTP status."""

    code = "PERMISSION_DENIED"

    def __init__(self, message: str, http_status: int = 400) -> None:
        super().__init__(None, message)
        self.http_status = http_status


def installed_osim_rl_version() -> str | None:
    """The installed osim-rl distribution's version, or None."""
    try:
        return metadata.version("osim-rl")
    except metadata.PackageNotFoundError:
        return None


def read_tokens(path: str | Path) -> dict[str, str]:
    """Reads a tokens file (see the module docstring) into token -> participant name.

    Raises:
        ValueError: Naming the file and line of a malformed or duplicate entry, or an empty file.
    """
    tokens: dict[str, str] = {}
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) > 2:
            raise ValueError(f"{path}:{number}: expected 'TOKEN [NAME]', got {len(parts)} fields")
        token = parts[0]
        name = parts[1] if len(parts) == 2 else "p" + hashlib.sha256(token.encode()).hexdigest()[:8]
        if not _NAME.match(name) or _SEPARATOR in name:
            raise ValueError(f"{path}:{number}: participant name '{name}' must be letters, digits, '.', '_' or '-' "
                             f"without '{_SEPARATOR}'")
        if token in tokens:
            raise ValueError(f"{path}:{number}: token listed twice")
        tokens[token] = name
    if not tokens:
        raise ValueError(f"{path}: no tokens, expected one 'TOKEN [NAME]' per line")
    return tokens


@dataclass(frozen=True)
class GraderConfig:
    """Settings of grader mode (the ``--grader`` flags).

    Attributes:
        seeds: The fixed evaluation seeds, one episode each, in order (``--seeds``).
        tokens: Token to participant name (``--tokens`` file).
        version: The osim-rl version clients must report (``--grader-version``; default the installed osim-rl's,
            else :data:`OSIM_RL_VERSION`).
        max_envs: Most environments one participant may hold at once (``--grader-max-envs``).
        ttl: Seconds after creation an environment expires (``--grader-ttl``; the challenge used 20 min).
        results: File to append one JSON line per scored submission to, or None (``--grader-results``).
    """

    seeds: tuple[int, ...]
    tokens: dict[str, str] = field(repr=False)
    version: str = field(default_factory=lambda: installed_osim_rl_version() or OSIM_RL_VERSION)
    max_envs: int = 3
    ttl: float = 1200.0
    results: Path | None = None

    def __post_init__(self) -> None:
        if not self.seeds:
            raise ValueError("grader seeds are empty, expected at least one, e.g. --seeds 1,2,3")
        if not self.tokens:
            raise ValueError("grader tokens are empty, expected a tokens file with one 'TOKEN [NAME]' per line")
        if self.max_envs < 1:
            raise ValueError(f"grader max_envs is {self.max_envs}, expected >= 1")
        if self.ttl <= 0:
            raise ValueError(f"grader ttl is {self.ttl}, expected > 0 seconds")


@dataclass
class _Run:
    """One participant's evaluation on one instance."""

    participant: str
    env_id: str
    created: float
    monitoring: bool = False
    episodes_started: int = 0
    finished: bool = False
    total_reward: float = 0.0
    episode_returns: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Serialises this run's resets and its score bookkeeping (the instance lock covers only the env calls)."""


class GraderSessions(OpenSessions):
    """gym-http-api sessions with the challenge grader's rules (see the module docstring).

    Args:
        table: The server's instance table.
        config: Seeds, tokens, version and limits.
        clock: Seconds, monotonic (injectable for TTL tests).
    """

    def __init__(self, table: InstanceTable, config: GraderConfig,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(table)
        self.config = config
        self._clock = clock
        self._runs: dict[str, _Run] = {}
        self._grader_lock = threading.Lock()

    def create(self, env_id: str, kwargs: dict, max_episode_steps: int | None, seed: int | None,
               body: dict[str, Any], principal: str = ANONYMOUS) -> str:
        """Checks token, version and the participant's limit, then makes the environment."""
        token = body.get("token")
        if not token:
            raise GraderRefused("A required request parameter 'token' was not provided", 401)
        participant = self.config.tokens.get(str(token))
        if participant is None:
            raise GraderRefused(f"token '{str(token)[:4]}...' is not registered with this grader", 401)
        version = body.get("version")
        if not version:
            raise GraderRefused("A required request parameter 'version' was not provided (the osim-rl version)")
        if str(version) != self.config.version:
            raise GraderRefused(
                f"osim-rl version {echo(version, 40)} does not match the grader's {self.config.version!r}; "
                f"install osim-rl=={self.config.version}")
        if kwargs or max_episode_steps is not None:
            raise GraderRefused("the grader fixes the environment's settings; send no 'kwargs' or "
                                "'max_episode_steps'")
        self._expire()
        with self._grader_lock:
            held = sum(1 for run in self._runs.values() if run.participant == participant)
            if held >= self.config.max_envs:
                raise TooManyInstances(f"participant '{participant}' already holds {held} environments, the limit "
                                       f"is {self.config.max_envs}; close one first")
        try:
            instance = self.table.make(env_id, {}, None, owner=participant, principal=participant)
        except EnvServerError as error:
            # As the challenge grader: an environment that cannot be made is a 404 (the error keeps its type).
            if isinstance(error, UnknownEnvironment) or error.code == "PERMISSION_DENIED":
                error.http_status = 404
            raise
        with self._grader_lock:
            self._runs[instance.instance_id] = _Run(participant, env_id, self._clock())
        logger.info("grader: %s made %s (%s)", participant, env_id, instance.instance_id)
        return self.public_id(instance)

    def public_id(self, instance: Instance) -> str:
        """``<participant>___<instance id>``, as the challenge grader named them."""
        return f"{instance.owner}{_SEPARATOR}{instance.instance_id}"

    def list_all(self, principal: str = ANONYMOUS) -> dict[str, str]:
        """Refused: participants must not see each other's environments."""
        raise GraderRefused("listing environments is disabled in grader mode", 403)

    def lookup(self, instance_id: str, principal: str = ANONYMOUS) -> Instance:
        """The participant's live instance; expired ones are closed and reported unknown."""
        participant, _, table_id = instance_id.rpartition(_SEPARATOR)
        self._expire()
        with self._grader_lock:
            run = self._runs.get(table_id)
        if run is None or run.participant != participant:
            try:
                self.table.get(table_id, participant)
            except InstanceNotFound as error:
                raise unknown_instance(instance_id, error) from None
            raise InstanceNotFound(f"Instance_id {clip(instance_id)} unknown")
        try:
            return self.table.get(table_id, participant)
        except InstanceNotFound as error:
            raise unknown_instance(instance_id, error) from None

    def reset(self, instance: Instance, seed: int | None, options: dict) -> tuple[Any, dict]:
        """Starts the episode of the next fixed seed; a ``None`` observation once all seeds are done."""
        run = self._run(instance)
        if not run.monitoring:
            raise GraderRefused("call monitor/start/ before reset/: the grader scores only monitored episodes")
        with run.lock:
            if run.episodes_started >= len(self.config.seeds):
                run.finished = True
                return None, {}
            grader_seed = self.config.seeds[run.episodes_started]
            observation, info = instance.reset(grader_seed, None)
            run.episodes_started += 1
            run.episode_returns.append(0.0)
            return observation, info

    def step(self, instance: Instance, action: Any) -> StepOutcome:
        """Steps and adds the reward to the participant's score."""
        run = self._run(instance)
        outcome = instance.step(action)
        with run.lock:
            run.total_reward += outcome[1]
            run.episode_returns[-1] += outcome[1]
        return outcome

    def monitor_start(self, instance: Instance, directory: str, force: bool) -> None:
        """Starts recording this instance's episodes."""
        self._run(instance).monitoring = True

    def monitor_close(self, instance: Instance) -> float | None:
        """The score (total reward / number of seeds) once every seed's episode is done."""
        run = self._run(instance)
        seeds = len(self.config.seeds)
        if not run.finished:
            remaining = seeds - run.episodes_started
            raise GraderRefused(
                f"the evaluation is not finished: {remaining} of {seeds} episodes not started yet; keep calling "
                "reset/ after each episode until it answers a null observation")
        score = run.total_reward / seeds
        logger.info("grader: %s scored %.6g on %s over %d seeds", run.participant, score, run.env_id, seeds)
        if self.config.results is not None:
            record = {"participant": run.participant, "env_id": run.env_id, "score": score,
                      "seeds": list(self.config.seeds), "episode_returns": run.episode_returns,
                      "time": time.time()}
            with open(self.config.results, "a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
        return score

    def close(self, instance: Instance) -> None:
        """Closes the instance and forgets its run."""
        with self._grader_lock:
            self._runs.pop(instance.instance_id, None)
        super().close(instance)

    def _run(self, instance: Instance) -> _Run:
        with self._grader_lock:
            run = self._runs.get(instance.instance_id)
        if run is None:
            raise InstanceNotFound(f"Instance_id {self.public_id(instance)} unknown")
        return run

    def _expire(self) -> None:
        deadline = self._clock() - self.config.ttl
        with self._grader_lock:
            expired = [(table_id, run.participant) for table_id, run in self._runs.items() if run.created < deadline]
            for table_id, _ in expired:
                del self._runs[table_id]
        for table_id, participant in expired:
            try:
                self.table.close(table_id, f"was closed: it expired after the grader's TTL of {self.config.ttl:g} s",
                                 principal=participant)
            except InstanceNotFound:
                pass
