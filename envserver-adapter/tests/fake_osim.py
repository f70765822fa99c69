"""An osim-rl-shaped old-gym environment (4-tuple step, is_done, istep/timestep_limit) for the worker tests.

It stands in for osim-rl only where osim-rl is not installed; test_osim.py runs the real one when it is.
"""

import os
import time
import warnings

import numpy as np


class _Spec:
    timestep_limit = 4


class _Model:
    istep = 0


class _Box:
    def __init__(self, low, high, shape):
        self.low, self.high, self.shape = np.full(shape, low), np.full(shape, high), shape


class FakeOsimEnv:
    """Falls (is_done) when the first action element exceeds 0.9; the time limit is 4 steps."""

    def __init__(self, visualize=True, crash_on_step=None, step_seconds=0.0):
        assert visualize is False
        self.step_seconds = step_seconds
        self.spec = _Spec()
        self.osim_model = _Model()
        self.action_space = _Box(0.0, 1.0, (3,))
        self.observation_space = _Box(0.0, 0.0, (5,))  # osim-rl 2.1.x style: wrong size, zero bounds
        self.crash_on_step = crash_on_step
        self.height = 1.0

    def reset(self):
        print("fake osim: reset")  # chatter, like osim-rl's prints
        warnings.warn("fake osim: a warning", UserWarning, stacklevel=1)
        self.osim_model.istep = 0
        self.height = 1.0 + np.random.uniform(0, 0.1)
        return self.get_observation()

    def step(self, action):
        time.sleep(self.step_seconds)  # the simulation's time, spent in the worker process
        self.osim_model.istep += 1
        if self.crash_on_step == self.osim_model.istep:
            os._exit(3)
        if action[0] > 0.9:
            self.height = 0.5
        done = self.is_done() or self.osim_model.istep >= self.spec.timestep_limit
        return self.get_observation(), float(np.sum(action)), done, {}

    def is_done(self):
        return self.height < 0.6

    def get_observation(self):
        return [self.height, float(self.osim_model.istep), float(os.getpid())]

    def get_observation_dict(self):
        return {"pelvis": {"height": self.height, "vel": [0.0, 1.0]}, "field": np.zeros((2, 2, 2)),
                "pid": os.getpid()}
