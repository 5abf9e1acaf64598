"""Hostile and malformed data/aliases.yaml and data/other_relations.yaml: the build either loads
them or reports located problems (file and line), never a traceback (strategies of test_robust)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, copy_project
from portal.errors import BuildError
from portal.site import build, gather
from test_robust import FAST, WRONG, Files, check_problems, corrupted_text, dump

CURATED = ("data/aliases.yaml", "data/other_relations.yaml")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("curated") / "project")


@FAST
@given(st.data())
def test_corrupted_curated_files_load_or_are_reported_at_file_and_line(project, data):
    rel = data.draw(st.sampled_from(CURATED))
    original = (ROOT / rel).read_bytes()
    if data.draw(st.booleans()):
        text = data.draw(corrupted_text(original))
    else:  # valid YAML of the wrong shape, in places the loader reads
        text = dump(data.draw(st.one_of(
            WRONG, st.lists(WRONG, max_size=3),
            st.dictionaries(st.sampled_from(["provinces", "partners", "countries", "Bangkok", "MM"]), WRONG, max_size=3),
            st.lists(st.dictionaries(st.sampled_from(["id", "province", "level", "status", "partner", "source",
                                                      "notes", "year_be"]), WRONG, max_size=4), max_size=2))))
    with Files(project)({rel: text}) as written:
        try:
            model = gather(project)
        except BuildError as err:
            check_problems(err, project, written)
            return
        if rel == "data/other_relations.yaml":  # accepted: the pages that show them render
            build(project, write=False)
        assert model.registry is not None
