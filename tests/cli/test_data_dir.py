"""CLI commands keep their database in the per-user data directory, never the current folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.runner import kubemedic


def test_stats_uses_the_xdg_data_home_not_the_current_folder(tmp_path: Path) -> None:
    work = tmp_path / "somewhere"
    work.mkdir()
    data_home = tmp_path / "data"
    result = kubemedic(
        "stats", env={"XDG_DATA_HOME": str(data_home), "HOME": str(tmp_path / "home")}, cwd=work
    )
    assert result.code == 0, result.stderr
    database = data_home / "kubemedic" / "kubemedic.db"
    assert f"(database: {database})" in result.stdout
    assert list(work.iterdir()) == []
    assert database.is_file() and (database.parent.stat().st_mode & 0o777) == 0o700
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "schema_version" in tables


def test_without_xdg_data_home_it_is_under_home(tmp_path: Path) -> None:
    result = kubemedic("stats", "--json", env={"HOME": str(tmp_path)}, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.json() == []
    assert (tmp_path / ".local" / "share" / "kubemedic" / "kubemedic.db").is_file()
    assert not (tmp_path / "kubemedic.db").exists()


def test_an_explicit_database_url_wins(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen.db"
    result = kubemedic(
        "stats",
        env={"HOME": str(tmp_path / "home"), "KUBEMEDIC_DATABASE_URL": f"sqlite:///{chosen}"},
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    assert chosen.is_file() and not (tmp_path / "home").exists()
