import pytest

from pipeline.errors import ManifestError
from pipeline.ingest.corpus import load_manifest


def write(tmp_path, text):
    path = tmp_path / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_manifest_is_valid():
    from pipeline.config import DEFAULT_CORPUS

    specs = load_manifest(DEFAULT_CORPUS / "manifest.toml")
    assert [s.id for s in specs][0] == "review"
    assert specs[0].kind == "review"
    assert specs[0].path.is_file()


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[document]]\nid = "Bad Id"\npath = "a.txt"\nkind = "review"\n', "must be lower-case letters"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "blog"\n', "kind = 'blog'; use one of review, readout"),
        ('[[document]]\nid = "a"\nkind = "review"\n', "needs a path"),
        ('[[document]]\nid = "a"\npath = "a.docx"\nkind = "review"\n', "only .txt, .html, .htm and .pdf"),
        ('[[document]]\nid = "a"\npath = "../x.txt"\nkind = "review"\n', "leaves the corpus folder"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "review"\nside = "Russia"\n', "ISO 3166-1 alpha-2"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "review"\nside = "QQ"\n', "side = 'QQ' is not a country code"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "news"\nside = "Uzbekistan"\n', "Uzbekistan is UZ"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "news"\npublished = "2022-02-30"\n', "not an ISO date"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "review"\npublished = "25/02/2022"\n', "not an ISO date"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "news"\nlanguage = "english"\n', "ISO 639-1 code"),
        ('[[document]]\nid = "a"\nurl = 5\nkind = "news"\n', "url = 5 must be text"),
        ('[[document]]\nid = "a"\nurl = "http://[::1"\nkind = "news"\n', "is not a valid address"),
        ('[[document]]\nid = "a"\nurl = "ftp://example.org/a"\nkind = "news"\n', "http:// or https://"),
        ('[[document]]\nid = "a"\npath = ["a.txt"]\nkind = "news"\n', "path = ['a.txt'] must be text"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "news"\npublisher = ["x"]\n', "publisher = ['x'] must be text"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "news"\nlanguage = "qq"\n', "ISO 639-1 code"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "review"\ncolour = "red"\n', "unknown field(s) colour"),
        ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "review"\n[[document]]\nid = "a"\npath = "b.txt"\nkind = "review"\n',
         "id is used twice"),
        ("[[document]\n", "not valid TOML"),
        ("title = 'x'\n", "no [[document]] entries"),
    ],
)
def test_manifest_errors_name_the_entry_and_the_fix(tmp_path, text, message):
    with pytest.raises(ManifestError) as err:
        load_manifest(write(tmp_path, text))
    assert message in str(err.value)
    assert "manifest.toml" in str(err.value)


def test_missing_manifest(tmp_path):
    with pytest.raises(ManifestError, match="no manifest here"):
        load_manifest(tmp_path / "manifest.toml")


def test_optional_fields(tmp_path):
    (spec,) = load_manifest(write(tmp_path, (
        '[[document]]\nid = "r-1"\nurl = "http://en.kremlin.ru/x"\nkind = "readout"\n'
        'published = 2022-02-25\nperiod = ["2022-02-21", "2022-03-03"]\n'
    )))
    assert spec.path is None and spec.url == "http://en.kremlin.ru/x"
    assert spec.published == "2022-02-25" and spec.period == ("2022-02-21", "2022-03-03")
    assert spec.language is None


def test_language_is_an_iso_639_1_code_in_any_case(tmp_path):
    (spec,) = load_manifest(write(tmp_path, '[[document]]\nid = "n"\npath = "n.txt"\nkind = "news"\nlanguage = "RU"\n'))
    assert spec.language == "ru"


def test_every_problem_of_an_entry_in_one_pass(tmp_path):
    text = ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "blog"\nside = "QQ"\npublished = "2022-02-30"\n'
            'language = "xx"\n')
    with pytest.raises(ManifestError) as err:
        load_manifest(write(tmp_path, text))
    message = str(err.value)
    assert message.startswith("4 problems in")
    for part in ("kind = 'blog'", "side = 'QQ'", "published = '2022-02-30'", "language = 'xx'"):
        assert part in message


def test_a_side_in_any_case_and_the_named_bodies(tmp_path):
    text = ('[[document]]\nid = "a"\npath = "a.txt"\nkind = "news"\nside = "uz"\n'
            '[[document]]\nid = "b"\npath = "b.txt"\nkind = "readout"\nside = "NATO"\n')
    assert [s.side for s in load_manifest(write(tmp_path, text))] == ["UZ", "NATO"]
