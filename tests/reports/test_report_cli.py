"""The command line of the documents: report, letters, export --format csv|xlsx."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from selection import store
from selection.cli import cli
from tests.reports.conftest import pdf_text, select, store_six


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def six_path(db_path, bundle_builder):
    db = store.connect(db_path)
    store_six(db, bundle_builder)
    yield db_path, db
    db.conn.close()


def test_report_with_fewer_draws(six_path, tmp_path):
    path, _ = six_path
    out = tmp_path / "r.pdf"
    result = run("report", "--db", path, "--out", out, "--draws", 200)
    assert result.exit_code == 0, result.output
    assert "Under 200 sets of weights" in pdf_text(out.read_bytes())


def test_letters_refused_before_a_selection_then_written(six_path, tmp_path):
    path, db = six_path
    out = tmp_path / "letters.pdf"
    refused = run("letters", "--db", path, "--out", out)
    assert refused.exit_code == 2 and "no selection is recorded" in refused.output and not out.exists()
    select(db, "s1", "p1", notified_on="2027-01-31")
    result = run("letters", "--db", path, "--out", out, "--date", "2027-02-03")
    assert result.exit_code == 0, result.output
    assert "that is by 28 February 2027." in pdf_text(out.read_bytes())
    assert f"Wrote {out} (8 letters)" in result.output


def test_letters_one_file_each_in_a_zip_or_a_folder(six_path, tmp_path):
    path, db = six_path
    select(db, "s1", "p1", notified_on="2027-01-31")
    nowhere = run("letters", "--db", path)
    assert nowhere.exit_code == 2 and "--out FILE, --zip FILE or --out-dir DIR" in nowhere.output
    zipped, folder = tmp_path / "letters.zip", tmp_path / "letters"
    result = run("letters", "--db", path, "--zip", zipped, "--out-dir", folder, "--date", "2027-02-03")
    assert result.exit_code == 0, result.output
    assert f"Wrote 8 letters into {folder}" in result.output
    names = zipfile.ZipFile(zipped).namelist()
    assert sorted(p.name for p in folder.iterdir()) == sorted(names) and len(names) == 8
    assert names[0] == "1-Institut-sahelien-Nandu.pdf"
    assert "Institut sahélien Ñandú" in pdf_text((folder / names[0]).read_bytes())


def test_export_formats(six_path, tmp_path):
    path, _ = six_path
    csv, xlsx = tmp_path / "t.zip", tmp_path / "t.xlsx"
    assert run("export", "--db", path, "--format", "csv", "--out", csv, "--draws", 100).exit_code == 0
    assert "rankings.csv" in zipfile.ZipFile(io.BytesIO(csv.read_bytes())).namelist()
    assert run("export", "--db", path, "--format", "xlsx", "--out", xlsx, "--draws", 100).exit_code == 0
    assert "scores" in openpyxl.load_workbook(xlsx).sheetnames
    no_out = run("export", "--db", path, "--format", "xlsx")
    assert no_out.exit_code == 2 and "--out FILE is needed" in no_out.output
    bundle = run("export", "--db", path)  # the default stays the bundle
    assert bundle.exit_code == 0 and '"format": "host-selection-bundle/1"' in bundle.output
