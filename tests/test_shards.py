"""Building by province shards (issue 24, docs/shards.md): each province's pages, data and search index built on
their own from its content, the national step assembling them with the portal-wide pages; the same site as a
whole build, byte for byte. Built from the seed plans into temporary folders, through the command editors and CI
run (`python -m generator build --shard … | --assemble …`)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.helpers import ROOT, generator_command, tree_digest

PROVINCES = ["gia-lai", "ha-tinh", "hai-duong"]
DUC_THO = "content/ha-tinh/duc-tho/2023-chinh-quyen-so.yml"


def _run(folder, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(generator_command(folder, "build", *args), capture_output=True, text=True, timeout=600)


def _shard(folder, province: str) -> subprocess.CompletedProcess:
    return _run(folder, "--shard", province, "--out", str(folder / "shards" / province))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shards") / "portal"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(ROOT / "site_config.yml", folder / "site_config.yml")
    return folder


@pytest.fixture(scope="module")
def whole(seeds):
    done = _run(seeds, "--out", str(seeds / "whole"))
    assert done.returncode == 0, done.stderr
    return seeds / "whole"


@pytest.fixture(scope="module")
def assembled(seeds, whole):
    for province in PROVINCES:
        done = _shard(seeds, province)
        assert done.returncode == 0, done.stderr
    done = _run(seeds, "--assemble", str(seeds / "shards"), "--out", str(seeds / "site"))
    assert done.returncode == 0, done.stderr
    return seeds / "site"


def test_the_shards_assembled_are_the_whole_build_byte_for_byte(assembled, whole):
    built = tree_digest(assembled)
    assert built == tree_digest(whole)
    # each province's pages and its own search index came from its shard
    for province in PROVINCES:
        assert f"{province}/pagefind/pagefind-entry.json" in built
        assert any(f.startswith(f"co-quan/{province}/") for f in built)


def test_a_shard_holds_its_province_alone(seeds, assembled):
    shard = seeds / "shards" / "ha-tinh"
    made = {f.split("/")[0] for f in tree_digest(shard) if f.endswith(".html")}
    pages = {f for f in tree_digest(shard) if f.endswith("index.html")}
    assert "ha-tinh" in made and not made & {"gia-lai", "hai-duong", "van-ban", "chi-so", "ngan-sach"}
    assert pages <= {f for f in pages if f.startswith(("ha-tinh/", "co-quan/ha-tinh/"))}


def test_a_shard_reads_its_province_only_and_the_national_step_checks_everything(seeds, assembled, tmp_path):
    """A broken plan in Gia Lai does not stop Hà Tĩnh's shard (it is not read); the national step reads every
    province's content, names the file, line and field, and leaves the site as it was."""
    folder = tmp_path / "portal"
    shutil.copytree(seeds / "content", folder / "content")
    shutil.copy(seeds / "site_config.yml", folder / "site_config.yml")
    plan = folder / "content/gia-lai/duc-co/2023-chinh-quyen-so.yml"
    text = plan.read_text("utf-8")
    assert "\nkind: ke-hoach\n" in text
    plan.write_text(text.replace("\nkind: ke-hoach\n", "\nkind: ke-hoach-xyz\n"), "utf-8")
    assert _shard(folder, "ha-tinh").returncode == 0
    for province in ("gia-lai", "hai-duong"):
        os.makedirs(folder / "shards", exist_ok=True)
        shutil.copytree(seeds / "shards" / province, folder / "shards" / province, symlinks=False)
    site = folder / "site"
    shutil.copytree(assembled, site)
    before = tree_digest(site)
    done = _run(folder, "--assemble", str(folder / "shards"), "--out", str(site))
    assert done.returncode != 0
    assert "gia-lai/duc-co/2023-chinh-quyen-so.yml" in done.stderr and "kind" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(site) == before


def test_the_national_step_checks_again_a_file_changed_since_its_shard_was_built(seeds, assembled, tmp_path):
    """The national step takes what each shard validated of its files (its store, beside its build) only for a
    file whose bytes are the ones the shard read: a plan broken after its shard was built is named."""
    folder = tmp_path / "portal"
    shutil.copytree(seeds / "content", folder / "content")
    shutil.copy(seeds / "site_config.yml", folder / "site_config.yml")
    shutil.copytree(seeds / "shards", folder / "shards", symlinks=True)  # the shards' builds and their stores
    assert (folder / "shards" / ".gia-lai.cache").is_dir()
    plan = folder / "content/gia-lai/duc-co/2023-chinh-quyen-so.yml"
    plan.write_text(plan.read_text("utf-8").replace("\nkind: ke-hoach\n", "\nkind: ke-hoach-xyz\n"), "utf-8")
    done = _run(folder, "--assemble", str(folder / "shards"), "--out", str(folder / "site"))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "gia-lai/duc-co/2023-chinh-quyen-so.yml" in done.stderr and "kind" in done.stderr


def test_an_edit_rebuilds_its_province_and_the_national_step_only(seeds, assembled, whole, tmp_path):
    folder = tmp_path / "portal"
    shutil.copytree(seeds / "content", folder / "content")
    shutil.copy(seeds / "site_config.yml", folder / "site_config.yml")
    shutil.copytree(seeds / "shards", folder / "shards", symlinks=True)
    gia_lai = tree_digest(folder / "shards" / "gia-lai")
    # the national step once before the edit: the second takes Hà Tĩnh's new build, the others as they were
    assert _run(folder, "--assemble", str(folder / "shards"), "--out", str(folder / "site")).returncode == 0
    plan = folder / DUC_THO
    plan.write_text(plan.read_text("utf-8").replace("Hoàng Xuân Hùng", "Hoàng Xuân Hưng", 1), "utf-8")
    assert _shard(folder, "ha-tinh").returncode == 0
    assert _run(folder, "--assemble", str(folder / "shards"), "--out", str(folder / "site")).returncode == 0
    assert tree_digest(folder / "shards" / "gia-lai") == gia_lai  # not built again
    assert _run(folder, "--out", str(folder / "whole")).returncode == 0
    site = tree_digest(folder / "site")
    assert site == tree_digest(folder / "whole")
    assert "Hoàng Xuân Hưng" in (folder / "site/ha-tinh/duc-tho/2023-chinh-quyen-so/index.html").read_text("utf-8")


def test_the_national_step_refuses_a_shard_built_from_other_content(seeds, assembled, tmp_path):
    """An editor changes a plan and runs the national step without building its province again: the province's
    pages would be the old ones beside portal-wide pages and tables made from the new. The step names the
    province and the file, says what to run, and leaves the site as it was; built again, the shard is taken."""
    folder = tmp_path / "portal"
    shutil.copytree(seeds / "content", folder / "content")
    shutil.copy(seeds / "site_config.yml", folder / "site_config.yml")
    shutil.copytree(seeds / "shards", folder / "shards", symlinks=True)
    site = folder / "site"
    shutil.copytree(assembled, site)
    before = tree_digest(site)
    plan = folder / DUC_THO
    plan.write_text(plan.read_text("utf-8").replace("Hoàng Xuân Hùng", "Hoàng Xuân Hưng", 1), "utf-8")
    done = _run(folder, "--assemble", str(folder / "shards"), "--out", str(site))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "ha-tinh" in done.stderr and DUC_THO in done.stderr and "make shard PROVINCE=" in done.stderr
    assert "gia-lai" not in done.stderr and "hai-duong" not in done.stderr  # built from what they hold now
    assert tree_digest(site) == before
    assert _shard(folder, "ha-tinh").returncode == 0
    assert _run(folder, "--assemble", str(folder / "shards"), "--out", str(site)).returncode == 0
    assert "Hoàng Xuân Hưng" in (site / "ha-tinh/duc-tho/2023-chinh-quyen-so/index.html").read_text("utf-8")


def test_the_national_step_names_a_missing_shard_and_keeps_the_site(seeds, assembled, tmp_path):
    folder = tmp_path / "portal"
    shutil.copytree(seeds / "content", folder / "content")
    shutil.copy(seeds / "site_config.yml", folder / "site_config.yml")
    (folder / "shards").mkdir()
    shutil.copytree(seeds / "shards" / "ha-tinh", folder / "shards" / "ha-tinh", symlinks=False)
    site = folder / "site"
    shutil.copytree(assembled, site)
    before = tree_digest(site)
    done = _run(folder, "--assemble", str(folder / "shards"), "--out", str(site))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "gia-lai" in done.stderr and "hai-duong" in done.stderr and "--shard" in done.stderr
    assert tree_digest(site) == before


def test_an_unknown_province_is_named(seeds):
    done = _shard(seeds, "ha-tinhh")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "ha-tinhh" in done.stderr and "ha-tinh" in done.stderr
