"""SPSS and Stata exports read back with pyreadstat: values, variable labels and value labels."""
import io
import zipfile

import pyreadstat

from tests.integration.exports.conftest import export
from tests.integration.exports.test_tables import V1, V2, V3


def _read(data, name, reader, tmp_path):
    path = tmp_path / name
    path.write_bytes(zipfile.ZipFile(io.BytesIO(data)).read(name))
    return reader(str(path))


def _send(world, client):
    return [world.send(client, "1", {**V1, "head": "yes"}), world.send(client, "2", {**V2, "head": "no"}),
            world.send(client, "3", V3)]


def test_spss_file_has_labels_and_the_answers(world, client, supervisor, tmp_path):
    ids = _send(world, client)
    job, data = export(client, supervisor, {"form": "hh", "format": "sav"})
    assert job["result"]["interviews"] == 3
    frame, meta = _read(data, "hh.sav", pyreadstat.read_sav, tmp_path)
    assert list(frame["KEY"]) == ids
    assert meta.column_names_to_labels["hh_size"] == "家庭人口"
    assert meta.column_names_to_labels["place_village_name"] == "村名"
    assert list(frame["hh_size"]) == [4, 2, 1]
    assert list(frame["place_village_name"]) == ["东营子村", "西营子村", "南村"]
    assert list(frame["head"]) == ["yes", "no", ""]
    assert meta.variable_value_labels["head"] == {"yes": "是", "no": "否"}
    assert list(frame["helps_cash"].fillna(-1)) == [1, 0, -1]
    assert meta.variable_value_labels["helps_job"] == {0: "未选", 1: "已选"}
    assert frame["gps_Latitude"][0] == 40.1 and frame["income"][1] == 5600.5
    members, _ = _read(data, "hh-members.sav", pyreadstat.read_sav, tmp_path)
    assert list(members["member_name"]) == ["张三", "李四", "王五"]
    assert list(members["PARENT_KEY"]) == [ids[0], ids[0], ids[1]]


def test_stata_file_codes_select_one_with_value_labels(world, client, supervisor, tmp_path):
    ids = _send(world, client)
    _, data = export(client, supervisor, {"form": "hh", "format": "dta", "labels": "en"})
    frame, meta = _read(data, "hh.dta", pyreadstat.read_dta, tmp_path)
    assert list(frame["KEY"]) == ids
    assert meta.column_names_to_labels["hh_size"] == "Household size"
    assert list(frame["head"].fillna(0)) == [1, 2, 0]
    assert meta.variable_value_labels["head"] == {1: "Yes", 2: "No"}
    assert list(frame["place_village_name"]) == ["东营子村", "西营子村", "南村"]
    members, meta = _read(data, "hh-members.dta", pyreadstat.read_dta, tmp_path)
    assert list(members["age"]) == [40, 12, 70] and meta.column_names_to_labels["age"] == "Age"
