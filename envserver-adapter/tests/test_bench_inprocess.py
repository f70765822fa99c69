"""The in-process floor benchmark reports sane numbers and the JSON line the Java benchmark parses."""

import json

from gymlink_envserver import bench_inprocess


def test_run_reportsOrderedPercentilesAndPositiveThroughput():
    result = bench_inprocess.run("CartPole-v1", steps=200, seed=1)
    assert result.env == "CartPole-v1"
    assert result.steps == 200
    assert 0 < result.p50_us <= result.p99_us
    assert result.steps_per_s > 0


def test_main_json_printsOneLineWithTheAgreedKeys(capsys):
    assert bench_inprocess.main(["--env", "Pendulum-v1", "--steps", "50", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == ["env", "steps", "p50_us", "p99_us", "steps_per_s"]
    assert record["env"] == "Pendulum-v1" and record["steps"] == 50
