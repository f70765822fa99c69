"""A minimal gym-http-api client with the upstream Python client's semantics (openai/gym-http-api gym_http_client.py).

The oracle for shapes and status codes: every call posts or gets JSON on upstream's routes, a non-200 answer with a
JSON ``message`` raises :class:`ServerError(message, status_code)`, any other non-2xx raises, and 204 answers give
``None``. Written on the standard library so the tests need no extra package.
"""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit


class ServerError(Exception):
    """A server error answer, as upstream's client raises it."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class Client:
    """Upstream's client calls, one keep-alive connection."""

    def __init__(self, remote_base: str, timeout: float = 30.0) -> None:
        parts = urlsplit(remote_base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def close(self) -> None:
        self.connection.close()

    def request(self, method: str, route: str, data: Any = None, raw: bytes | None = None) -> tuple[int, Any]:
        """Sends one request; returns (status, parsed JSON or None)."""
        body = raw if raw is not None else (json.dumps(data).encode() if method == "POST" else None)
        self.connection.request(method, route, body=body, headers={"Content-type": "application/json"})
        response = self.connection.getresponse()
        text = response.read()
        try:
            return response.status, json.loads(text) if text else None
        except ValueError:
            return response.status, text.decode()

    def _checked(self, method: str, route: str, data: Any = None) -> Any:
        status, answer = self.request(method, route, data)
        if status != 200 and isinstance(answer, dict) and "message" in answer:
            raise ServerError(message=answer["message"], status_code=status)
        if not 200 <= status < 300:
            raise ServerError(message=f"HTTP {status}", status_code=status)
        return answer

    def env_create(self, env_id: str, **extra: Any) -> str:
        return self._checked("POST", "/v1/envs/", {"env_id": env_id, **extra})["instance_id"]

    def env_list_all(self) -> dict:
        return self._checked("GET", "/v1/envs/")["all_envs"]

    def env_reset(self, instance_id: str, data: Any = None) -> Any:
        return self._checked("POST", f"/v1/envs/{instance_id}/reset/", data)["observation"]

    def env_step(self, instance_id: str, action: Any, render: bool = False) -> list:
        answer = self._checked("POST", f"/v1/envs/{instance_id}/step/", {"action": action, "render": render})
        return [answer["observation"], answer["reward"], answer["done"], answer["info"]]

    def env_action_space_info(self, instance_id: str) -> dict:
        return self._checked("GET", f"/v1/envs/{instance_id}/action_space/")["info"]

    def env_action_space_sample(self, instance_id: str) -> Any:
        return self._checked("GET", f"/v1/envs/{instance_id}/action_space/sample")["action"]

    def env_action_space_contains(self, instance_id: str, x: Any) -> bool:
        return self._checked("GET", f"/v1/envs/{instance_id}/action_space/contains/{x}")["member"]

    def env_observation_space_info(self, instance_id: str) -> dict:
        return self._checked("GET", f"/v1/envs/{instance_id}/observation_space/")["info"]

    def env_observation_space_contains(self, instance_id: str, params: dict) -> bool:
        return self._checked("POST", f"/v1/envs/{instance_id}/observation_space/contains", params)["member"]

    def env_monitor_start(self, instance_id: str, directory: str, force: bool = False) -> Any:
        return self._checked("POST", f"/v1/envs/{instance_id}/monitor/start/",
                             {"directory": directory, "force": force, "resume": False, "video_callable": False})

    def env_monitor_close(self, instance_id: str) -> Any:
        return self._checked("POST", f"/v1/envs/{instance_id}/monitor/close/")

    def env_close(self, instance_id: str) -> Any:
        return self._checked("POST", f"/v1/envs/{instance_id}/close/")
