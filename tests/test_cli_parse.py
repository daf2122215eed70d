"""`nianbao parse`, per the spec's contract (report-model.md §1): JSON Lines in argument order,
an error line for a file that cannot be read, exit 0 / 1 / 2, nothing but JSON on stdout."""

import json
import subprocess
import sys
from pathlib import Path

SEEDS = sorted((Path(__file__).resolve().parent.parent / "samples" / "seeds").glob("*.txt"))


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True, cwd=cwd)


def test_json_lines_in_argument_order_and_exit_0():
    files = [str(SEEDS[3]), str(SEEDS[0])]
    p = run("parse", "--json", *files)
    assert p.returncode == 0, p.stderr
    objs = [json.loads(line) for line in p.stdout.splitlines()]
    assert [o["source"]["path"] for o in objs] == files
    assert objs[0]["schema_version"] == 1
    assert objs[0]["meta"]["year"] == 2020 and objs[1]["meta"]["year"] == 2022
    assert set(objs[0]) >= {"source", "meta", "sections", "tables", "provenance", "findings"}


def test_unreadable_file_gets_an_error_line_and_exit_1(tmp_path):
    missing = tmp_path / "missing.html"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    p = run("parse", "--json", str(missing), str(SEEDS[4]), str(empty))
    assert p.returncode == 1
    objs = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(objs) == 3
    assert objs[0]["error"]["code"] and str(missing) in objs[0]["error"]["message"]
    assert objs[0]["source"]["path"] == str(missing)
    assert objs[1]["meta"]["agency"] == "龙港市人民政府"
    assert objs[2]["error"]["code"] == "empty_file" and "empty.txt" in objs[2]["error"]["message"]


def test_usage_error_exit_2():
    assert run("parse").returncode == 2
    assert run("parse", "--no-such-option", str(SEEDS[0])).returncode == 2


def test_human_output_in_chinese():
    p = run("parse", str(SEEDS[4]))
    assert p.returncode == 0
    assert "龙港市人民政府" in p.stdout and "表三" in p.stdout and "342395" in p.stdout


def test_gbk_and_utf16_text_are_read(tmp_path):
    text = SEEDS[4].read_text(encoding="utf-8")
    for enc in ("gb18030", "utf-16"):
        f = tmp_path / f"r-{enc}.txt"
        f.write_bytes(text.encode(enc))
        p = run("parse", "--json", str(f))
        obj = json.loads(p.stdout)
        assert obj["meta"]["title"] == "龙港市人民政府2021年政府信息公开工作年度报告", enc
        assert obj["tables"]["requests"]["new_received"]["total"] == 166


def test_a_folder_and_a_zip_are_read_like_ingest(tmp_path):
    import zipfile

    folder = tmp_path / "reports"
    (folder / "b").mkdir(parents=True)
    (folder / "b" / "z.txt").write_bytes(SEEDS[4].read_bytes())
    (folder / "a.txt").write_bytes(SEEDS[0].read_bytes())
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x/longgang.txt", SEEDS[4].read_bytes())
    p = run("parse", "--json", str(folder), str(archive))
    assert p.returncode == 0, p.stderr
    objs = [json.loads(line) for line in p.stdout.splitlines()]
    # folder files recursively in sorted path order, then the zip's member as archive.zip!member
    assert [o["source"]["path"] for o in objs] == [
        str(folder / "a.txt"), str(folder / "b" / "z.txt"), f"{archive}!x/longgang.txt",
    ]
    assert objs[2]["meta"]["agency"] == "龙港市人民政府"
    assert objs[2]["tables"]["requests"]["new_received"]["total"] == 166
    c = run("check", "--json", str(archive))
    (only,) = [json.loads(line) for line in c.stdout.splitlines()]
    assert only["source"]["path"] == f"{archive}!x/longgang.txt" and "findings" in only


def test_zip_members_are_taken_in_archive_order_not_sorted(tmp_path):
    """Spec §1: a zip's members in archive order. Written b.txt (龙港, 2021) then a.txt (乳山寨镇,
    2022): parse, check and ingest all give b.txt first."""
    import zipfile

    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("b.txt", SEEDS[4].read_bytes())
        z.writestr("a.txt", SEEDS[0].read_bytes())
    expected = [f"{archive}!b.txt", f"{archive}!a.txt"]
    for command in ("parse", "check"):
        p = run(command, "--json", str(archive))
        objs = [json.loads(line) for line in p.stdout.splitlines()]
        assert [o["source"]["path"] for o in objs] == expected, command
        assert [(o["meta"]["agency"], o["meta"]["year"]) for o in objs] == [
            ("龙港市人民政府", 2021), ("乳山市乳山寨镇人民政府", 2022)], command
    i = run("ingest", "--json", "--quiet", "--workers", "1", "--db", str(tmp_path / "c.db"), str(archive))
    assert i.returncode == 0, i.stderr
    lines = [json.loads(line) for line in i.stdout.splitlines()]
    assert [(x["path"], x["status"]) for x in lines] == [(expected[0], "new"), (expected[1], "new")]


def test_human_output_prints_amounts_as_printed_never_in_exponent_form(tmp_path):
    import re

    # this seed prints 行政事业性收费 as 3481.768936 (万元): every digit is shown, not 3481.77
    p = run("parse", str(SEEDS[4]))
    assert "3481.768936" in p.stdout
    text = SEEDS[4].read_text(encoding="utf-8")
    f = tmp_path / "big.txt"
    f.write_text(re.sub(r"3481\.768936", "3481800", text), encoding="utf-8")
    p = run("parse", str(f))
    assert p.returncode == 0
    assert "3481800" in p.stdout and "3.4818e+06" not in p.stdout


def test_human_output_says_partial_and_marks_unread_cells():
    # w030 (a real page): 14 cells of table 3 cannot be placed (rows of six numbers for seven cells)
    from pathlib import Path

    from typer.testing import CliRunner

    from nianbao.cli import app

    doc = Path(__file__).parent / "documents" / "wild" / "w030_jingfa_2021.txt"
    out = CliRunner().invoke(app, ["parse", str(doc)]).output
    assert "部分读取，需人工核对" in out and "14个单元格无法读取" in out
    assert "？" in out


def test_explain_says_plainly_what_is_wrong_with_its_input(tmp_path):
    """`explain` reads its file as `parse` does: a missing path, a folder or a device is named with
    its problem (never an internal error), and a device is refused without reading it."""
    missing = run("explain", str(tmp_path / "none.txt"))
    assert missing.returncode == 1 and "文件或目录不存在" in missing.stderr and "内部错误" not in missing.stderr
    folder = run("explain", str(tmp_path))
    assert folder.returncode == 1 and "不是普通文件（目录）" in folder.stderr
    device = subprocess.run([sys.executable, "-m", "nianbao", "explain", "/dev/zero"], capture_output=True,
                            text=True, timeout=120)  # read whole before: it never ended
    assert device.returncode == 1 and "不是普通文件（设备文件）" in device.stderr
    fine = run("explain", "--json", str(SEEDS[0]))
    assert fine.returncode == 0 and json.loads(fine.stdout)["reading"]["status"] in ("complete", "partial")
