"""The README stays true: every command is documented, every shown session is real output."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from cstograph.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def sessions() -> list[tuple[str, str]]:
    """Each ``$ cstograph ...`` line of a console block, with the output shown under it."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", README, re.DOTALL):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command:
            found.append((command, "\n".join(output)))
    return [(c, o) for c, o in found if c.startswith("cstograph ")]


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README


def test_readme_has_sessions():
    assert len(sessions()) >= 3


@pytest.mark.parametrize("command,expected", sessions(), ids=[c for c, _ in sessions()])
def test_readme_session_output_is_real(command, expected, monkeypatch):
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the repository root
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, args, prog_name="cstograph")
    assert result.output.rstrip("\n") == expected.rstrip("\n")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    assert f"cstograph {name}" in README
    assert cli.commands[name].help


def regenerate() -> str:
    """README with every ``$ cstograph`` output replaced by the real one (run this module)."""

    def fill(match: re.Match[str]) -> str:
        out = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                out.append(line)
                if line[2:].startswith("cstograph "):
                    args = shlex.split(line[2:])[1:]
                    result = CliRunner().invoke(cli, args, prog_name="cstograph")
                    out.append(result.output.rstrip("\n"))
        return "```console\n" + "\n".join(out) + "\n```"

    return re.sub(r"```console\n(.*?)```", fill, README, flags=re.DOTALL)


if __name__ == "__main__":
    (ROOT / "README.md").write_text(regenerate(), encoding="utf-8")
