"""`fangkong rt`: reads a daily incidence CSV, writes Rt windows, refuses bad input clearly."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from fangkong.analytics.rt import estimate_rt
from fangkong.analytics.serial import DEFAULT_SERIAL_INTERVAL

ROOT = Path(__file__).resolve().parents[2]
COUNTS = [0, 1, 3, 2, 5, 8, 6, 9, 14, 12, 17, 21, 19, 25, 30, 28, 33, 31, 29, 35]
HEADER = "t_start,t_end,mean,std,q025,q05,q25,median,q75,q95,q975"


def write(tmp_path: Path, text: str, name: str = "incidence.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def incidence_csv(tmp_path: Path, imported: bool = True) -> Path:
    lines = ["date,local,imported" if imported else "local"]
    for day, count in enumerate(COUNTS):
        lines.append(f"2020-01-{day + 10},{count},{day % 3}" if imported else str(count))
    return write(tmp_path, "\n".join(lines) + "\n")


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("rt", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def parse(text: str) -> list[dict[str, float]]:
    return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def test_writes_windows_with_given_serial_interval(tmp_path):
    out, err = run("--incidence", str(incidence_csv(tmp_path)), "--si-mean", "4", "--si-sd", "2")
    assert out.splitlines()[0] == HEADER
    rows = parse(out)
    est = estimate_rt(COUNTS, [d % 3 for d in range(len(COUNTS))], si_mean=4, si_sd=2)
    assert len(rows) == int(est.reported.sum())
    assert rows[0]["t_start"] == est.t_start[est.reported][0]
    assert rows[-1]["t_end"] == len(COUNTS)
    np.testing.assert_array_equal([r["mean"] for r in rows], est.mean[0][est.reported])
    assert "4 ± 2 d (given)" in err
    assert "uncertain" in err


def test_imported_column_is_optional_and_default_serial_interval_is_named(tmp_path):
    out, err = run("--incidence", str(incidence_csv(tmp_path, imported=False)))
    si = DEFAULT_SERIAL_INTERVAL
    est = estimate_rt(COUNTS, si_mean=si.mean, si_sd=si.sd)
    rows = parse(out)
    assert [r["t_start"] for r in rows] == list(est.t_start[est.reported])
    assert "Bi Q et al." in err and "(default)" in err


def test_windows_ending_before_the_mean_serial_interval_are_omitted(tmp_path):
    out, _ = run("--incidence", str(incidence_csv(tmp_path)), "--window", "3")
    rows = parse(out)
    # The discretised interval over the series' 20 days has a mean a little under 6.3.
    mean_si = estimate_rt(COUNTS, si_mean=6.3, si_sd=4.2, window=3).si_mean
    assert 5.5 < mean_si < 6.0
    assert rows[0]["t_end"] == 6 and rows[0]["t_start"] == 4


def test_window_and_output_file(tmp_path):
    out_file = tmp_path / "rt.csv"
    out, _ = run(
        "--incidence", str(incidence_csv(tmp_path)), "--window", "14", "--out", str(out_file)
    )
    assert out == ""
    rows = parse(out_file.read_text())
    assert all(r["t_end"] - r["t_start"] == 13 for r in rows)


def test_non_parametric_serial_interval_file(tmp_path):
    si = write(tmp_path, "0\n0.25\n0.5\n0.25\n", "si.txt")
    out, err = run("--incidence", str(incidence_csv(tmp_path)), "--si-distr", str(si))
    est = estimate_rt(COUNTS, [d % 3 for d in range(20)], si_distr=[0, 0.25, 0.5, 0.25])
    assert [r["q975"] for r in parse(out)] == list(est.quantile(0.975)[0][est.reported])
    assert "non-parametric" in err


BAD_INCIDENCE = [
    ("local,imported\n1,0\n-2,0\n", "line 3: 'local' is '-2', negative"),
    ("local,imported\n1,0\n2.5,0\n", "line 3: 'local' is '2.5', not a whole number"),
    ("local,imported\n1,0\n2,x\n", "'imported' is 'x', not a whole number"),
    ("local,imported\n1,0\n,0\n", "line 3: 'local' is empty"),
    ("date,cases\n2020-01-01,3\n", "missing column 'local' (columns found: date, cases)"),
    ("", "missing column 'local'"),
    ("local\n", "no rows of data"),
    ("local\n1\n2\n3\n", "3 days are too few for a 7-day window"),
]


@pytest.mark.parametrize(("text", "message"), BAD_INCIDENCE)
def test_bad_incidence_is_refused_with_a_clear_message(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(CommandError) as info:
        run("--incidence", str(path), "--si-mean", "5", "--si-sd", "2")
    assert message in str(info.value)


BAD_SERIAL_INTERVAL = [
    (["--si-mean", "1", "--si-sd", "2"], "serial interval mean must be > 1 day (got 1)"),
    (["--si-mean", "0.5", "--si-sd", "2"], "serial interval mean must be > 1 day"),
    (["--si-mean", "5", "--si-sd", "0"], "serial interval sd must be > 0"),
    (["--si-mean", "5"], "--si-mean and --si-sd go together"),
    (["--si-sd", "2"], "--si-mean and --si-sd go together"),
    (["--window", "0"], "window must be at least 1 day"),
]


@pytest.mark.parametrize(("args", "message"), BAD_SERIAL_INTERVAL)
def test_bad_serial_interval_is_refused(tmp_path, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("--incidence", str(incidence_csv(tmp_path)), *args)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("0.1\n0.5\n0.4\n", "must start with 0"),
        ("0\n0.5\n0.4\n", "sums to 0.9, not 1"),
        ("0\n-0.5\n1.5\n", "negative"),
        ("w\n0\n1\n", "'w' is not a number"),
    ],
)
def test_bad_serial_interval_file_is_refused(tmp_path, content, message):
    si = write(tmp_path, content, "si.txt")
    with pytest.raises(CommandError, match=message):
        run("--incidence", str(incidence_csv(tmp_path)), "--si-distr", str(si))


def test_serial_interval_file_and_parameters_are_exclusive(tmp_path):
    si = write(tmp_path, "0\n1\n", "si.txt")
    with pytest.raises(CommandError, match="either --si-distr or --si-mean"):
        run("--incidence", str(incidence_csv(tmp_path)), "--si-distr", str(si), "--si-mean", "3")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("--incidence", str(tmp_path / "nope.csv"))


def test_command_line_exits_non_zero_with_the_message(tmp_path):
    path = write(tmp_path, "local\n1\n-1\n")
    env = {**os.environ, "FANGKONG_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "fangkong", "rt", "--incidence", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode != 0
    assert "negative" in done.stderr and "Traceback" not in done.stderr
