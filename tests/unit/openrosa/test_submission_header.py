"""Header fields of submission XML, and hostile input refused with one error type and a code."""
import pytest

from server.infra.errors import Problem
from server.submissions.instance_header import SubmissionXmlError, read_header
from testkit.collect_wire import build_instance_xml

ENVELOPE = b"""<?xml version="1.0" encoding="UTF-8"?>
<data xmlns="http://www.opendatakit.org/xforms/encrypted" id="secret_form" version="3" encrypted="yes">
  <base64EncryptedKey>AAAA</base64EncryptedKey>
  <orx:meta xmlns:orx="http://openrosa.org/xforms"><orx:instanceID>uuid:enc-1</orx:instanceID></orx:meta>
  <media><file>1738311111111.jpg.enc</file></media>
  <media><file>voice.amr.enc</file></media>
  <encryptedXmlFile>submission.xml.enc</encryptedXmlFile>
  <base64EncryptedElementSignature>BBBB</base64EncryptedElementSignature>
</data>"""


def code_of(data, **kwargs):
    with pytest.raises(SubmissionXmlError) as info:
        read_header(data, **kwargs)
    assert isinstance(info.value, Problem) and 400 <= info.value.status < 500
    return info.value.code


def test_plain_instance_fields():
    xml = build_instance_xml("household_survey", "2025013101", "uuid:a-1",
                             {"name": "张三", "grp": {"photo": " 1738311111111.jpg "}},
                             deprecated_id="uuid:a-0", instance_name="张三家")
    header = read_header(xml, ["1738311111111.jpg", "unrelated.jpg"])
    assert (header.form_id, header.version) == ("household_survey", "2025013101")
    assert (header.instance_id, header.deprecated_id, header.instance_name) == (
        "uuid:a-1", "uuid:a-0", "张三家")
    assert not header.encrypted and header.media_files == () and header.encrypted_xml_file is None
    assert header.referenced == {"1738311111111.jpg"}


def test_orx_meta_namespace_and_missing_version():
    xml = build_instance_xml("f", "", "uuid:x", {"a": "1"}, orx_meta=True)
    assert b"orx:meta" in xml
    header = read_header(xml)
    assert header.instance_id == "uuid:x" and header.version == ""


def test_default_namespace_root_is_matched_on_local_names():
    xml = (b'<data xmlns="http://www.w3.org/2002/xforms" id="f" version="2">'
           b'<meta><instanceID>uuid:ns</instanceID></meta></data>')
    assert read_header(xml).instance_id == "uuid:ns"


def test_root_instance_id_attribute_fallback_and_missing_instance_id():
    assert read_header(b'<data id="f" instanceID="uuid:attr"><a/></data>').instance_id == "uuid:attr"
    header = read_header(b'<data id="f"><meta><instanceID> </instanceID></meta></data>')
    assert header.instance_id is None  # reported, never generated here
    assert code_of(b'<data id="f"><a/></data>', require_instance_id=True) == \
        "submission.missing_instance_id"


def test_meta_outside_the_root_level_is_not_the_header():
    xml = b'<data id="f"><grp><meta><instanceID>uuid:deep</instanceID></meta></grp></data>'
    assert read_header(xml).instance_id is None


def test_encrypted_envelope():
    uploaded = ["1738311111111.jpg.enc", "submission.xml.enc", "stray.txt"]
    header = read_header(ENVELOPE, uploaded)
    assert header.encrypted and header.form_id == "secret_form" and header.version == "3"
    assert header.instance_id == "uuid:enc-1"
    assert header.media_files == ("1738311111111.jpg.enc", "voice.amr.enc")
    assert header.encrypted_xml_file == "submission.xml.enc"
    assert header.referenced == {"1738311111111.jpg.enc", "submission.xml.enc"}


def test_encrypted_envelope_without_instance_id_is_refused():
    xml = ENVELOPE.replace(b"uuid:enc-1", b"")
    assert code_of(xml) == "submission.missing_instance_id"


def test_utf16_document():
    xml = '<?xml version="1.0" encoding="UTF-16"?><data id="表"><meta><instanceID>uuid:u</instanceID>' \
          '</meta></data>'
    assert read_header(xml.encode("utf-16")).form_id == "表"


def test_large_instance_streams():
    fields = {"rep": [{"q": str(i), "note": "x" * 50} for i in range(20_000)]}
    xml = build_instance_xml("big", "1", "uuid:big", fields)
    assert len(xml) > 1_000_000
    assert read_header(xml).instance_id == "uuid:big"


@pytest.mark.parametrize("data", [
    b"", b"   ", b"not xml", b"<data id='f'>", b"<data id='f'></dat>",
    b"<data id='f'/><data id='g'/>", b"<data id='f'>&undefined;</data>",
    b"<data id='f'>\x00</data>", b"\xff\xfe\x00garbage",
])
def test_malformed_xml(data):
    assert code_of(data) == "submission.malformed_xml"


def test_missing_form_id():
    assert code_of(b"<data><meta><instanceID>uuid:1</instanceID></meta></data>") == \
        "submission.missing_form_id"
    assert code_of(b'<data id="  "/>') == "submission.missing_form_id"


def test_size_bound():
    xml = build_instance_xml("f", "1", "uuid:1", {"a": "x" * 2000})
    error = pytest.raises(SubmissionXmlError, read_header, xml, max_bytes=1000).value
    assert error.code == "submission.xml_too_large" and error.status == 413
    assert error.params == {"limit": 1000}


def test_deep_nesting_is_refused():
    depth = 5000
    xml = b'<data id="f">' + b"<a>" * depth + b"</a>" * depth + b"</data>"
    assert code_of(xml) == "submission.malformed_xml"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<data id="f"><a>&lol9;</a><meta><instanceID>uuid:1</instanceID></meta></data>"""


def test_entity_bomb_is_refused():
    assert code_of(BILLION_LAUGHS) == "submission.doctype_forbidden"


def test_quadratic_blowup_is_refused():
    xml = (b'<!DOCTYPE d [<!ENTITY a "' + b"A" * 50_000 + b'">]><data id="f">'
           + b"&a;" * 10_000 + b"</data>")
    assert code_of(xml) == "submission.doctype_forbidden"


def test_xxe_is_refused_and_leaks_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    for xml in (
        f'<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]><data id="&x;">&x;</data>',
        '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><data id="f">&x;</data>',
        f'<!DOCTYPE d [<!ENTITY % p SYSTEM "file://{secret}"> %p;]><data id="f"/>',
        '<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd"><data id="f"/>',
        "<!DOCTYPE data><data id='f'/>",
    ):
        with pytest.raises(SubmissionXmlError) as info:
            read_header(xml.encode())
        assert info.value.code == "submission.doctype_forbidden"
        assert "TOP-SECRET" not in str(info.value) and "root:" not in str(info.value)
