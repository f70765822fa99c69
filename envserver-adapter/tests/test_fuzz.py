"""A bounded, seeded fuzz of the real server over unary calls, the session stream and HTTP.

Sends mutated and structured random messages, and asserts that the server never crashes or hangs (every call has a
deadline and none may pass it), that every answer is a proper status (no UNKNOWN, no INTERNAL unless an environment
itself raised, no HTTP 5xx), and that the server's memory comes back within a small margin afterwards (this catches
the ~20 KB-per-request leak of issue 9, defect 2).
Seed and sizes: ``GYMLINK_FUZZ_SEED`` (default 9) and ``GYMLINK_FUZZ_SCALE`` (default 1.0; ~20-40 s on 2 cores).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import time

import grpc
import numpy as np
from server_process import ServerProcess

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb

SEED = int(os.environ.get("GYMLINK_FUZZ_SEED", "9"))
SCALE = float(os.environ.get("GYMLINK_FUZZ_SCALE", "1.0"))
DEADLINE = 10.0
"""No single answer may take longer (a hang fails the test)."""
RSS_MARGIN_MB = 12.0
"""The fixed server grows ~2 MiB over the fuzz; before the fix of defect 2 it grew ~30 MiB."""
PROPER = {"OK", "INVALID_ARGUMENT", "NOT_FOUND", "PERMISSION_DENIED", "FAILED_PRECONDITION", "RESOURCE_EXHAUSTED",
          "UNIMPLEMENTED", "INTERNAL"}
ENV_IDS = ["Pendulum-v1", "CartPole-v1", "MountainCarContinuous-v0", "FrozenLake-v1", "GymlinkTest/DictObs-v0",
           "GymlinkTest/CompositeAction-v0", "GymlinkTest/Crash-v0", "Pendulm-v1", "os:system", "", "a b", "x" * 300]
METHODS = ["GetServerInfo", "ListEnvironments", "Make", "Reset", "Step", "StepBatch", "Close"]
REQUEST_TYPES = {m.name: m.input_type.name for m in pb.DESCRIPTOR.services_by_name["EnvService"].methods}


class Fuzzer:
    """Random requests from one seeded RNG, plus the instance ids the server has handed out so far."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: list[str] = ["nope"]

    def json_value(self, depth: int = 0):
        r = self.rng.random()
        if depth > 3 or r < 0.5:
            return self.rng.choice([None, True, 0, -1, 2**40, 3.5, float("nan"), "", "rgb_array", "human", "x" * 50])
        if r < 0.75:
            return [self.json_value(depth + 1) for _ in range(self.rng.randint(0, 4))]
        return {self.rng.choice(["g", "desc", "render_mode", "frame_skip", "k"]): self.json_value(depth + 1)
                for _ in range(self.rng.randint(0, 3))}

    def tensor(self) -> pb.Tensor:
        dtype = self.rng.choice([pb.FLOAT32, pb.FLOAT64, pb.INT64, pb.UINT8, pb.BOOL, 0, 42])
        shape = self.rng.choice([[], [1], [3], [2, 2], [0], [0, 2**40], [-1], [1] * 40])
        size = self.rng.choice([0, 1, 4, 8, 12, 16])
        return pb.Tensor(dtype=dtype, shape=shape, data=self.rng.randbytes(size))

    def value(self, depth: int = 0) -> pb.Value:
        r = self.rng.random()
        if depth > 2 or r < 0.7:
            return pb.Value(tensor=self.tensor())
        if r < 0.85:
            return pb.Value(tuple=pb.ValueList(items=[self.value(depth + 1) for _ in range(self.rng.randint(0, 3))]))
        return pb.Value(dict=pb.ValueMap(entries={k: self.value(depth + 1) for k in self.rng.sample("abxy", 2)}))

    def good_action(self) -> pb.Value:
        return pb.Value(tensor=codec.encode_tensor(np.array([self.rng.uniform(-2, 2)], np.float32)))

    def request(self, method: str):
        rng, instance_id = self.rng, self.rng.choice(self.ids)
        kwargs = codec.encode_json_map({k: v for k, v in [("g", self.json_value())] if rng.random() < 0.3})
        if method == "Make":
            request = pb.MakeRequest(env_id=rng.choice(ENV_IDS), kwargs=kwargs)
            if rng.random() < 0.2:
                request.max_episode_steps = rng.choice([-1, 0, 1, 5, 2**31 - 1])
            return request
        if method == "Reset":
            request = pb.ResetRequest(instance_id=instance_id, options=kwargs)
            if rng.random() < 0.7:
                request.seed = rng.choice([0, 1, -1, 2**63 - 1, -(2**63)])
            return request
        if method == "Step":
            action = self.good_action() if rng.random() < 0.5 else self.value()
            return pb.StepRequest(instance_id=instance_id, action=action)
        if method == "StepBatch":
            count = rng.choice([0, 1, 2, 3, 70])
            return pb.StepBatchRequest(steps=[pb.StepRequest(instance_id=rng.choice(self.ids),
                                                             action=self.good_action()) for _ in range(count)])
        if method == "Close":
            return pb.CloseRequest(instance_id=instance_id)
        return getattr(pb, REQUEST_TYPES[method])()

    def mutate(self, data: bytes) -> bytes:
        data = bytearray(data or b"\x00")
        for _ in range(self.rng.randint(1, 4)):
            op, i = self.rng.random(), self.rng.randrange(len(data) or 1)
            if op < 0.4 and data:
                data[i % len(data)] ^= 1 << self.rng.randrange(8)
            elif op < 0.6:
                data[i:i] = self.rng.randbytes(self.rng.randint(1, 8))
            elif op < 0.8:
                data = data[: self.rng.randrange(len(data) + 1)]
            else:
                data[i:i] = bytes([self.rng.choice([0x0A, 0x12, 0x1A, 0x22]), 0x80, 0x80, 0x80])
        return bytes(data)


def check_status(code: grpc.StatusCode, details: str, what: str) -> None:
    assert code.name in PROPER, f"{what}: {code.name} {details[:200]}"
    if code == grpc.StatusCode.INTERNAL:
        assert details.startswith("environment '"), f"{what}: INTERNAL not from an environment: {details[:200]}"
    assert len(details) <= 400, f"{what}: {len(details)}-character message"


def fuzz_unary(channel: grpc.Channel, fuzzer: Fuzzer, rounds: int) -> None:
    for i in range(rounds):
        method = fuzzer.rng.choice(METHODS)
        raw = fuzzer.request(method).SerializeToString()
        if i % 2:
            raw = fuzzer.mutate(raw)
        call = channel.unary_unary(f"/gymlink.v1.EnvService/{method}")
        try:
            answer = call(raw, timeout=DEADLINE)
            if method == "Make":
                fuzzer.ids.append(pb.MakeResponse.FromString(answer).instance_id)
        except grpc.RpcError as error:
            check_status(error.code(), error.details() or "", f"unary {method}")


def fuzz_session(channel: grpc.Channel, fuzzer: Fuzzer, streams: int, per_stream: int) -> None:
    session = channel.stream_stream("/gymlink.v1.EnvService/Session",
                                    response_deserializer=pb.SessionResponse.FromString)
    ops = ["make", "reset", "step", "step_batch", "close"]
    methods = {"make": "Make", "reset": "Reset", "step": "Step", "step_batch": "StepBatch", "close": "Close"}
    for _ in range(streams):
        requests = []
        for n in range(per_stream):
            op = fuzzer.rng.choice(ops)
            message = pb.SessionRequest(request_id=n, **{op: fuzzer.request(methods[op])}).SerializeToString()
            requests.append(fuzzer.mutate(message) if fuzzer.rng.random() < 0.4 else message)
        try:
            answers = list(session(iter(requests), timeout=DEADLINE * 3))
        except grpc.RpcError as error:
            check_status(error.code(), error.details() or "", "session stream")
            continue
        assert len(answers) == len(requests), "every session request gets exactly one answer"
        for answer in answers:
            if answer.WhichOneof("result") == "error":
                code = next(c for c in grpc.StatusCode if c.value[0] == answer.error.code)
                check_status(code, answer.error.message, "session")


HTTP_ROUTES = [("POST", "/v1/envs/"), ("GET", "/v1/envs/"), ("POST", "/v1/envs/{id}/reset/"),
               ("POST", "/v1/envs/{id}/step/"), ("GET", "/v1/envs/{id}/action_space/"),
               ("GET", "/v1/envs/{id}/observation_space/"), ("GET", "/v1/envs/{id}/action_space/sample"),
               ("GET", "/v1/envs/{id}/action_space/contains/{x}"), ("POST", "/v1/envs/{id}/observation_space/contains"),
               ("GET", "/v1/envs/{id}/spec/"), ("POST", "/v1/envs/{id}/monitor/start/"),
               ("POST", "/v1/envs/{id}/close/"), ("POST", "/v1/shutdown/"), ("GET", "/nothing")]


def fuzz_http(url: str, fuzzer: Fuzzer, rounds: int) -> None:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=DEADLINE)
    rng = fuzzer.rng
    for _ in range(rounds):
        method, route = rng.choice(HTTP_ROUTES)
        path = route.replace("{id}", rng.choice(fuzzer.ids)).replace("{x}", rng.choice(["1", "[0.5]", "x", "%7B"]))
        body = {"env_id": rng.choice(ENV_IDS), "action": fuzzer.json_value(), "seed": fuzzer.json_value(),
                "kwargs": fuzzer.json_value(), "options": fuzzer.json_value(), "directory": "tmp"}
        body = {k: v for k, v in body.items() if rng.random() < 0.6}
        raw = json.dumps(body).encode()
        if rng.random() < 0.3:
            raw = fuzzer.mutate(raw)
        try:
            connection.request(method, path, body=raw if method == "POST" else None,
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            text = response.read()
        except (http.client.HTTPException, OSError):
            connection.close()  # the server may close after an error answer; reconnect
            connection = http.client.HTTPConnection(host, int(port), timeout=DEADLINE)
            continue
        assert response.status < 500, f"HTTP {method} {path[:80]}: {response.status} {text[:200]!r}"
        if method == "POST" and route == "/v1/envs/" and response.status == 200:
            fuzzer.ids.append(json.loads(text)["instance_id"])
    connection.close()


def test_fuzz_noCrashNoHangProperStatuses_memoryComesBack():
    fuzzer = Fuzzer(random.Random(SEED))
    started = time.monotonic()
    with ServerProcess("--test-envs", "--log-level", "error", "--max-instances", "32", http=True) as server, \
            grpc.insecure_channel(server.target) as channel:
        # Warm-up: allocator arenas, thread pool, imported envs.
        fuzz_unary(channel, fuzzer, int(300 * SCALE))
        fuzz_session(channel, fuzzer, int(10 * SCALE), 20)
        fuzz_http(server.http_url, fuzzer, int(200 * SCALE))
        before = server.rss_mb()
        fuzz_unary(channel, fuzzer, int(4000 * SCALE))
        fuzz_session(channel, fuzzer, int(120 * SCALE), 25)
        fuzz_http(server.http_url, fuzzer, int(2000 * SCALE))
        assert server.alive(), server.log()[-2000:]
        for instance_id in fuzzer.ids:  # what the fuzz made by unary Make and HTTP
            try:
                channel.unary_unary("/gymlink.v1.EnvService/Close")(
                    pb.CloseRequest(instance_id=instance_id).SerializeToString(), timeout=DEADLINE)
            except grpc.RpcError:
                pass
        after = server.rss_mb()
        assert after - before < RSS_MARGIN_MB, f"server RSS {before:.1f} -> {after:.1f} MiB (seed {SEED})"
        assert "Traceback" not in server.log(), server.log()[-3000:]
    assert time.monotonic() - started < 120, "the fuzz must stay bounded"
