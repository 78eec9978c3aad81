"""One exception hierarchy: every error class lives in cstograph.errors, with its exit code."""

from __future__ import annotations

import re

import pytest

from cstograph import errors

from .conftest import ROOT

SRC = ROOT / "src" / "cstograph"


def test_every_error_class_lives_in_errors_py():
    defined_elsewhere = [
        f"{path.relative_to(SRC)}: {match.group(1)}"
        for path in SRC.rglob("*.py")
        if path.name != "errors.py"
        for match in re.finditer(
            r"^class (\w+)\((?:\w+\.)?\w*(?:Error|Exception)\b", path.read_text("utf-8"), re.M
        )
        # private control flow that never leaves its module
        if not match.group(1).startswith("_")
    ]
    assert defined_elsewhere == []


@pytest.mark.parametrize(
    "cls",
    [
        c
        for c in vars(errors).values()
        if isinstance(c, type) and issubclass(c, errors.CstographError)
    ],
    ids=lambda c: c.__name__,
)
def test_each_error_has_a_documented_exit_code(cls):
    assert cls.__name__ in (errors.__doc__ or "")
    expected = (
        errors.ExitCode.VIOLATIONS
        if issubclass(cls, errors.NotValidError)
        else errors.ExitCode.BAD_INPUT
        if issubclass(cls, errors.InputError) or cls is errors.CstographError
        else errors.ExitCode.STORE_FAILED
    )
    assert cls.exit_code == expected


def test_the_readme_documents_every_exit_code():
    table = (ROOT / "README.md").read_text("utf-8").split("## Exit codes", 1)[1]
    for code in errors.ExitCode:
        assert f"\n| {int(code)} | " in table


def test_a_store_failure_is_not_bad_input():
    assert not issubclass(errors.StoreError, errors.InputError)
    assert issubclass(errors.StoreSpecError, errors.InputError)
    assert issubclass(errors.StoreSpecError, errors.StoreError)
