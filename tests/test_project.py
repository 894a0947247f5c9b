"""Project files: atomic saves, and clear messages for bad files that leave nothing broken."""

import os

import pytest

from tflab.fileio import FileWriteError
from tflab.graph import ModelGraph
from tflab.project import Project, ProjectError, load_project, save_project


def seed_project() -> Project:
    graph = ModelGraph.sequential((28, 28), [("Flatten", {}), ("Dense", {"units": 100, "activation": "relu"})],
                                  name="模型 \"one\"")
    return Project(graph, training={"epochs": 3}, meta={"view": "stack"})


def test_save_then_load_gives_the_same_project(tmp_path):
    path = tmp_path / "m.tflab"
    project = seed_project()
    save_project(project, path)
    again = load_project(path)
    assert again.graph == project.graph
    assert again.training == {"epochs": 3} and again.meta == {"view": "stack"}
    assert "模型" in path.read_text(encoding="utf-8")  # readable UTF-8, not escapes
    assert [p.name for p in tmp_path.iterdir()] == ["m.tflab"]  # no temporary left behind


@pytest.mark.parametrize(
    "content, words",
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
        (b'{"format": "something"}', "not a tflab project"),
        (b'{"format": "tflab-project", "version": 7, "graph": {}}', "newer tflab"),
        (b'{"format": "tflab-project", "version": 1, "graph": {"format": "tflab-graph", "version": 1, '
         b'"inputs": [], "layers": [{"name": "x", "class_name": "Nope"}], "calls": [], "outputs": []}}',
         "unknown layer class"),
    ],
)
def test_bad_files_give_a_clear_message(tmp_path, content, words):
    path = tmp_path / "bad.tflab"
    path.write_bytes(content)
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert words in info.value.en
    assert info.value.zh != info.value.en
    assert path.read_bytes() == content  # loading never touches the file


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectError, match="no file"):
        load_project(tmp_path / "nope.tflab")
    with pytest.raises(ProjectError, match="folder"):
        load_project(tmp_path)


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "m.tflab"
    save_project(seed_project(), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    other = Project(ModelGraph.sequential((3,), [("Dense", {"units": 1})]))
    with pytest.raises(FileWriteError, match="No space left"):
        save_project(other, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.tflab"]


def test_saving_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileWriteError, match="Cannot write"):
        save_project(seed_project(), tmp_path / "no" / "such" / "m.tflab")


def test_a_saved_project_is_readable_by_others_like_any_new_file(tmp_path):
    path = tmp_path / "m.tflab"
    umask = os.umask(0o022)
    try:
        save_project(seed_project(), path)
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)  # a user's own choice survives the next save
    save_project(seed_project(), path)
    assert path.stat().st_mode & 0o777 == 0o600
