"""Small shims that let osim-rl 2.1.x/3.0.x (written for OpenSim 4.0, numpy 1, scipy < 1.14) run on today's wheels.

Applied in the worker process before osim-rl is imported; each patches one call and changes no results:

1. OpenSim 4.6 removed ``PrescribedController.prescribeControlForActuator(int, Function)``, which osim-rl's
   ``OsimModel.__init__`` calls with the muscle index; the shim maps the index to the actuator's name, which the
   4.6 overload takes.
2. numpy 2 no longer turns a one-element array into a scalar on assignment; osim-rl 3.x's
   ``VTgtSink._set_sink_vtgt_amp`` (L2M2019Env's target velocity field) relies on it, so it is replaced by an
   equivalent computation on scalars.
3. scipy 1.14 removed ``interpolate.interp2d``, which the same module uses for linear interpolation on a regular
   grid; the shim provides it with ``RegularGridInterpolator`` (linear, clamped to the grid like interp2d's
   nearest-edge extrapolation).
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

_applied = False


def apply() -> None:
    """Installs every shim (idempotent). Needs OpenSim importable; patches osim-rl 3.x's target field if present."""
    global _applied
    if _applied:
        return
    _patch_prescribed_controller()
    _patch_target_field()
    _applied = True


def _patch_prescribed_controller() -> None:
    import opensim

    controller = opensim.PrescribedController
    original_add = controller.addActuator
    original_prescribe = controller.prescribeControlForActuator
    names: dict[int, list[str]] = {}

    def add_actuator(self: Any, actuator: Any) -> Any:
        names.setdefault(id(self), []).append(actuator.getName())
        return original_add(self, actuator)

    def prescribe(self: Any, which: Any, function: Any) -> Any:
        if isinstance(which, int):
            which = names[id(self)][which]
        return original_prescribe(self, which, function)

    controller.addActuator = add_actuator
    controller.prescribeControlForActuator = prescribe


def _patch_target_field() -> None:
    try:
        from envs.target import v_tgt_field
    except ImportError:
        return  # osim-rl 2.1.x has no target field

    def set_sink_amplitude(self: Any, p_sink: Any, d_sink: float, v_amp_rng: Any, v_phase0: float,
                           d_dec: float = 1) -> None:
        low, high = float(v_amp_rng[0]), float(v_amp_rng[1])
        half_range, middle = 0.5 * (high - low), 0.5 * (high + low)
        for i_x, x in enumerate(self.map[0, :, 0]):
            for i_y, y in enumerate(self.map[1, 0, :]):
                d = float(np.hypot(x - p_sink[0], y - p_sink[1]))
                if d > d_sink + d_dec:
                    amplitude = high
                elif d > d_dec:
                    amplitude = half_range * np.sin(v_phase0 + d / d_sink * 2 * np.pi) + middle
                else:
                    amplitude = d * (half_range * np.sin(v_phase0 + d_dec / d_sink * 2 * np.pi) + middle)
                norm = np.linalg.norm(self.vtgt[:, i_x, i_y])
                self.vtgt[:, i_x, i_y] = amplitude * self.vtgt[:, i_x, i_y] / norm

    v_tgt_field.VTgtSink._set_sink_vtgt_amp = set_sink_amplitude
    v_tgt_field.interpolate = types.SimpleNamespace(interp2d=LinearGrid2D)


class LinearGrid2D:
    """``scipy.interpolate.interp2d(x, y, z, kind='linear')`` on a regular grid; queries are clamped to the grid."""

    def __init__(self, x: Any, y: Any, z: Any, kind: str = "linear") -> None:
        from scipy.interpolate import RegularGridInterpolator

        if kind != "linear":
            raise ValueError(f"only kind='linear' is provided, got {kind!r}")
        self._x = np.asarray(x, dtype=float)
        self._y = np.asarray(y, dtype=float)
        # interp2d takes z with shape (len(y), len(x)).
        self._f = RegularGridInterpolator((self._x, self._y), np.asarray(z, dtype=float).T, method="linear")

    def __call__(self, x: Any, y: Any) -> np.ndarray:
        """Interpolates at the grid of ``x`` by ``y`` (shape ``(len(y), len(x))``, or ``(len(x),)`` for one y)."""
        xs = np.clip(np.atleast_1d(np.asarray(x, dtype=float)), self._x.min(), self._x.max())
        ys = np.clip(np.atleast_1d(np.asarray(y, dtype=float)), self._y.min(), self._y.max())
        gx, gy = np.meshgrid(xs, ys)
        values = self._f(np.stack([gx.ravel(), gy.ravel()], axis=-1)).reshape(len(ys), len(xs))
        return values[0] if len(ys) == 1 else values
