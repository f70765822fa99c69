"""Times one DDPG/TD3 gradient step in PyTorch, the reference side of ``bin/bench-update --torch``.

It runs in the benchmark venv (``.bench-venv``, made by ``bin/bench-venv``), never in the env server's. The update
is Stable-Baselines3's ``TD3.train`` for one batch (critic, then actor, then Polyak averaging of both targets, Adam
for both networks) on the shapes gymlink's ``io.gymlink.bench.UpdateBenchmark`` uses: synthetic Pendulum-sized
batches, actor ``obs -> netArch -> act`` with tanh output, critic ``obs + act -> netArch -> 1``.

Two variants (``--variant``):

* ``minimal``: the same arithmetic as gymlink's update. The actor loss is differentiated with respect to the actor's
  parameters only (``torch.autograd.grad``), so no critic weight gradients are computed in the actor step, and Adam
  is ``torch.optim.Adam(fused=True)``.
* ``sb3``: SB3's code as written: ``actor_loss.backward()`` also fills the critic's ``.grad`` (discarded at the next
  critic step), default Adam (for-loop implementation on CPU).

Protocol, so that the Java side can alternate with it in one run: after start-up it prints one JSON line describing
itself; then each input line ``N`` runs N updates and prints one JSON line with the wall-clock and thread CPU
milliseconds of each; ``quit`` (or end of input) exits. The Java benchmark drives it; by hand::

    echo 50 | .bench-venv/bin/python envserver-adapter/scripts/torch_update.py --net 400,300 --threads 1
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch
from torch import nn
from torch.nn import functional


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--net", default="400,300", help="hidden layer widths (default: %(default)s)")
    parser.add_argument("--batch", type=int, default=256, help="batch size (default: %(default)s)")
    parser.add_argument("--obs", type=int, default=3, help="observation size (default: %(default)s)")
    parser.add_argument("--act", type=int, default=1, help="action size (default: %(default)s)")
    parser.add_argument("--activation", choices=["relu", "tanh"], default="relu")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default: %(default)s)")
    parser.add_argument("--variant", choices=["minimal", "sb3"], default="minimal")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def mlp(sizes: list[int], activation: type[nn.Module], output: nn.Module | None) -> nn.Sequential:
    """Linear layers with ``activation`` between them and ``output`` (or nothing) after the last one."""
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(activation())
    if output is not None:
        layers.append(output)
    return nn.Sequential(*layers)


class Update:
    """Networks, targets, optimisers and synthetic batches of one benchmark configuration."""

    def __init__(self, args: argparse.Namespace) -> None:
        torch.manual_seed(args.seed)
        hidden = [int(w) for w in args.net.split(",")]
        activation = nn.ReLU if args.activation == "relu" else nn.Tanh
        self.actor = mlp([args.obs, *hidden, args.act], activation, nn.Tanh())
        self.critic = mlp([args.obs + args.act, *hidden, 1], activation, None)
        self.actor_target = mlp([args.obs, *hidden, args.act], activation, nn.Tanh())
        self.critic_target = mlp([args.obs + args.act, *hidden, 1], activation, None)
        self.actor_target.load_state_dict(self.actor.state_dict())
        self.critic_target.load_state_dict(self.critic.state_dict())
        for target in (self.actor_target, self.critic_target):
            target.requires_grad_(False)
        fused = True if args.variant == "minimal" else None
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=1e-3, fused=fused)
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters(), lr=1e-3, fused=fused)
        self.minimal = args.variant == "minimal"
        self.tau = 0.005
        self.gamma = 0.99
        self.batches = [self._batch(args) for _ in range(8)]

    @staticmethod
    def _batch(args: argparse.Namespace) -> tuple[torch.Tensor, ...]:
        n = args.batch
        observations = torch.rand(n, args.obs) * 2 - 1
        actions = torch.rand(n, args.act) * 2 - 1
        next_observations = torch.rand(n, args.obs) * 2 - 1
        rewards = -16 * torch.rand(n, 1)
        terminated = (torch.rand(n, 1) < 0.01).float()
        return observations, actions, next_observations, rewards, terminated

    def step(self, i: int) -> None:
        """One gradient step on batch ``i % 8``, as SB3's ``TD3.train`` for DDPG (one critic, no delay)."""
        observations, actions, next_observations, rewards, terminated = self.batches[i % len(self.batches)]
        with torch.no_grad():
            next_actions = self.actor_target(next_observations)
            next_q = self.critic_target(torch.cat([next_observations, next_actions], dim=1))
            target_q = rewards + (1 - terminated) * self.gamma * next_q
        current_q = self.critic(torch.cat([observations, actions], dim=1))
        critic_loss = functional.mse_loss(current_q, target_q)
        self.critic_optimizer.zero_grad()
        critic_loss.backward()
        self.critic_optimizer.step()

        actor_loss = -self.critic(torch.cat([observations, self.actor(observations)], dim=1)).mean()
        self.actor_optimizer.zero_grad()
        if self.minimal:
            grads = torch.autograd.grad(actor_loss, list(self.actor.parameters()))
            for parameter, grad in zip(self.actor.parameters(), grads, strict=True):
                parameter.grad = grad
        else:
            actor_loss.backward()
        self.actor_optimizer.step()

        with torch.no_grad():
            for net, target in ((self.critic, self.critic_target), (self.actor, self.actor_target)):
                # SB3's polyak_update: target = (1 - tau) * target + tau * param, with foreach ops.
                target_params = list(target.parameters())
                torch._foreach_mul_(target_params, 1 - self.tau)
                torch._foreach_add_(target_params, list(net.parameters()), alpha=self.tau)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    update = Update(args)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "net": args.net,
                      "batch": args.batch, "variant": args.variant,
                      "blas": "mkl" if torch.backends.mkl.is_available() else "other"}), flush=True)
    done = 0
    for line in sys.stdin:
        line = line.strip()
        if line in ("", "quit"):
            break
        wall, cpu = [], []
        for _ in range(int(line)):
            w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            update.step(done)
            wall.append((time.perf_counter_ns() - w0) / 1e6)
            cpu.append((time.thread_time_ns() - c0) / 1e6)
            done += 1
        print(json.dumps({"wall_ms": wall, "cpu_ms": cpu}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
