"""`govreports cluster crawl` refuses what it cannot run before it touches a node or the archive."""

from __future__ import annotations

from click.testing import CliRunner

from crawler.cli import main


def test_a_bad_nodes_file_or_an_unknown_portal_is_a_usage_error(tmp_path):
    runner = CliRunner()
    archive = str(tmp_path / "archive.db")
    missing = runner.invoke(
        main, ["cluster", "crawl", "--nodes", str(tmp_path / "nodes.toml"), "--archive", archive]
    )
    assert missing.exit_code == 2
    assert missing.output.startswith(f"govreports: cannot read nodes file {tmp_path}/nodes.toml")

    nodes = tmp_path / "nodes.toml"
    nodes.write_text(
        f'shard_dir = "{tmp_path}/shards"\n[[node]]\nname = "a"\nurl = "http://127.0.0.1:9"\n'
    )
    unknown = runner.invoke(
        main,
        ["cluster", "crawl", "zc_gov_cn", "xx_gov_cn", "--nodes", str(nodes), "--archive", archive],
    )
    assert (unknown.exit_code, unknown.output) == (2, "govreports: unknown portal(s): xx_gov_cn\n")
    assert not (tmp_path / "archive.db").exists()
