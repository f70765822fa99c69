"""The gymlink.v1 operations on protobuf messages, shared by the unary RPCs and the Session stream.

Each method takes a request message and the caller's principal (:mod:`gymlink_envserver.auth`) and returns a
response message, or raises an :class:`~gymlink_envserver.errors.EnvServerError`; turning errors into statuses is the
transport's job.
"""

from __future__ import annotations

import math
import platform
from collections.abc import Hashable

import grpc
import gymnasium as gym

from gymlink_envserver import PROTOCOL_VERSION, __version__, codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver.auth import ANONYMOUS
from gymlink_envserver.batch import BatchResult, BatchStepper
from gymlink_envserver.errors import InvalidArgument, UnsupportedSpace
from gymlink_envserver.instances import Instance, InstanceTable, StepOutcome, check_distinct


class EnvOperations:
    """Serves gymlink.v1 requests from an :class:`InstanceTable`.

    Args:
        table: The live instances.
        stepper: Steps batches (owns the pool for waiting environments); a default one when None.
    """

    def __init__(self, table: InstanceTable, stepper: BatchStepper | None = None) -> None:
        self.table = table
        self.stepper = stepper or BatchStepper(table)

    def server_info(self) -> pb.ServerInfo:
        """The protocol version, software versions and limits."""
        return pb.ServerInfo(
            protocol_version=PROTOCOL_VERSION,
            server_version=__version__,
            gymnasium_version=gym.__version__,
            python_version=platform.python_version(),
            max_instances=self.table.max_instances,
            idle_timeout_seconds=self.table.idle_timeout,
        )

    def list_environments(self) -> pb.ListEnvironmentsResponse:
        """The allowed environments, sorted by id."""
        entries = []
        for allowed in self.table.allowlist.entries():
            entry = pb.EnvironmentEntry(env_id=allowed.env_id, entry_point=allowed.entry_point)
            if allowed.max_episode_steps is not None:
                entry.max_episode_steps = allowed.max_episode_steps
            entries.append(entry)
        return pb.ListEnvironmentsResponse(environments=entries)

    def make(self, request: pb.MakeRequest, owner: Hashable | None = None,
             principal: Hashable = ANONYMOUS) -> pb.MakeResponse:
        """Makes an instance; closes it again when its spaces cannot be described (UNIMPLEMENTED)."""
        max_steps = request.max_episode_steps if request.HasField("max_episode_steps") else None
        repeat = request.action_repeat if request.HasField("action_repeat") else 1
        instance = self.table.make(request.env_id, codec.decode_json_map(request.kwargs), max_steps, owner,
                                   principal, repeat)
        try:
            return pb.MakeResponse(
                instance_id=instance.instance_id,
                action_repeat=instance.action_repeat,
                observation_space=_describe(instance, "observation", instance.observation_space),
                action_space=_describe(instance, "action", instance.action_space),
                spec=_spec(instance),
            )
        except Exception:
            self.table.close(instance.instance_id, "closed because its spaces cannot be described", principal)
            raise

    def reset(self, request: pb.ResetRequest, principal: Hashable = ANONYMOUS) -> pb.ResetResponse:
        """Resets an instance (seed 0 is a seed; an absent seed keeps the RNG)."""
        instance = self.table.get(request.instance_id, principal)
        seed = request.seed if request.HasField("seed") else None
        observation, info = instance.reset(seed=seed, options=codec.decode_json_map(request.options))
        return pb.ResetResponse(observation=codec.encode_value(instance.observation_space, observation),
                                info=codec.encode_json_map(info))

    def step(self, request: pb.StepRequest, principal: Hashable = ANONYMOUS) -> pb.StepResponse:
        """Steps an instance by one action."""
        instance = self.table.get(request.instance_id, principal)
        return _step_response(instance, instance.step(codec.decode_value(request.action)))

    def step_batch(self, request: pb.StepBatchRequest, principal: Hashable = ANONYMOUS) -> pb.StepBatchResponse:
        """Steps several instances (see :mod:`gymlink_envserver.batch`); nothing steps when a request is invalid."""
        limit = self.table.max_instances
        if limit and len(request.steps) > limit:
            # Checked before anything is decoded: a batch can never name more distinct live instances than this.
            raise InvalidArgument(f"step_batch has {len(request.steps)} steps, expected at most {limit} "
                                  "(the server's instance limit)")
        ids = [step.instance_id for step in request.steps]
        check_distinct(ids)
        values = [step.action for step in request.steps]
        actions = codec.decode_stacked(values)
        if actions is None:
            actions = [codec.decode_value(value) for value in values]
        stepped = self.stepper.step(ids, actions, request.autoreset, request.isolate_failures, principal)
        return pb.StepBatchResponse(results=[_batch_response(instance, result) for instance, result in stepped])


    def close(self, request: pb.CloseRequest, principal: Hashable = ANONYMOUS) -> pb.CloseResponse:
        """Closes an instance."""
        self.table.close(request.instance_id, principal=principal)
        return pb.CloseResponse()


def _step_response(instance: Instance, outcome: StepOutcome) -> pb.StepResponse:
    observation, reward, terminated, truncated, info = outcome
    response = pb.StepResponse(reward=reward, terminated=terminated, truncated=truncated)
    codec.fill_value(response.observation, instance.observation_space, observation)
    if info:
        response.info.CopyFrom(codec.encode_json_map(info))
    return response


def _batch_response(instance: Instance, result: BatchResult) -> pb.StepResponse:
    response = _step_response(instance, result.step) if result.step is not None else pb.StepResponse()
    if result.reset is not None:
        observation, info = result.reset
        codec.fill_value(response.reset_observation, instance.observation_space, observation)
        if info:
            response.reset_info.CopyFrom(codec.encode_json_map(info))
    if result.error is not None:
        response.error.CopyFrom(pb.SessionError(code=grpc.StatusCode[result.error.code].value[0],
                                                message=result.error.message))
    return response


def _describe(instance: Instance, which: str, space: gym.Space) -> pb.Space:
    try:
        return codec.encode_space(space)
    except UnsupportedSpace as error:
        raise UnsupportedSpace(f"the {which} space of '{instance.env_id}' is {space}; {error.message}") from None


def _spec(instance: Instance) -> pb.EnvSpec:
    spec = instance.env.spec
    low, high = getattr(instance.env.unwrapped, "reward_range", (-math.inf, math.inf))
    message = pb.EnvSpec(
        env_id=instance.env_id,
        reward_range_min=float(low),
        reward_range_max=float(high),
        render_modes=list(instance.env.metadata.get("render_modes", [])),
        nondeterministic=bool(spec.nondeterministic) if spec else False,
    )
    if spec is not None and spec.max_episode_steps is not None:
        message.max_episode_steps = spec.max_episode_steps
    if spec is not None and spec.reward_threshold is not None:
        message.reward_threshold = float(spec.reward_threshold)
    return message
