"""Each format gives a title, metadata and sections with their heading paths."""

import pytest

from agora.content.extraction import ExtractionError, anchors_for, extract
from tests.content.helpers import docx_bytes, markdown, pdf_bytes

SECTIONS = {"Who can apply": "Residents of Riverton over 18 who pay council tax.",
            "How to apply": "Fill in the form online or call the council."}


def headings(extracted):
    return [section.heading for section in extracted.sections]


def test_markdown_front_matter_becomes_metadata_and_headings_sections():
    data = markdown("Single person discount", SECTIONS, source_url="https://riverton.example/spd",
                    publisher="Riverton Council", topic="council-tax", licence="OGL-3.0")
    extracted = extract("spd.md", data)
    assert extracted.title == "Single person discount"
    assert extracted.metadata == {
        "title": "Single person discount", "source_url": "https://riverton.example/spd",
        "publisher": "Riverton Council", "topic": ["council-tax"], "licence": "OGL-3.0"}
    assert headings(extracted) == ["Who can apply", "How to apply"]
    assert "pay council tax" in extracted.sections[0].text


def test_markdown_nested_headings_give_a_path_and_code_blocks_are_not_headings():
    data = b"# Bins\n\n## Collections\n\n### Garden waste\n\nEvery other Monday.\n\n" \
           b"```\n# not a heading\n```\n\n## Recycling\n\nBlue bin.\n"
    extracted = extract("bins.md", data)
    assert headings(extracted) == ["Collections \u203a Garden waste", "Recycling"]
    assert "# not a heading" in extracted.sections[0].text


def test_html_keeps_the_main_content_and_drops_navigation_and_footer():
    html = b"""<html><head><title>Potholes - Riverton</title>
    <link rel="canonical" href="https://riverton.example/potholes"></head><body>
    <header><nav><a href="/">Home</a> Menu items</nav></header>
    <main><h1>Report a pothole</h1><p>Tell us where the pothole is.</p>
    <h2>What happens next</h2><p>We inspect it within 5 days.</p>
    <aside>Related links</aside></main>
    <footer>Cookies and copyright</footer></body></html>"""
    extracted = extract("potholes.html", html)
    assert extracted.title == "Report a pothole"
    assert extracted.metadata["source_url"] == "https://riverton.example/potholes"
    text = extracted.text
    assert "Tell us where" in text and "inspect it within 5 days" in text
    assert "Menu items" not in text and "Cookies" not in text and "Related links" not in text
    assert headings(extracted) == ["", "What happens next"]


def test_pdf_bookmarks_give_the_sections():
    extracted = extract("discount.pdf", pdf_bytes("Council tax discounts", SECTIONS))
    assert extracted.title == "Council tax discounts"
    assert headings(extracted)[-2:] == ["Who can apply", "How to apply"]
    assert "Fill in the form online" in extracted.sections[-1].text


def test_docx_heading_styles_give_the_sections():
    extracted = extract("grant.docx", docx_bytes("Hardship grant", SECTIONS))
    assert extracted.title == "Hardship grant"
    assert headings(extracted) == ["Who can apply", "How to apply"]


def test_plain_text_is_one_section_titled_by_its_first_line():
    extracted = extract("note.txt", b"Library opening hours\n\nMonday to Friday 9 to 5.\n")
    assert extracted.title == "Library opening hours"
    assert "Monday to Friday" in extracted.text


def test_csv_gives_columns_a_preview_and_searchable_rows():
    data = b"ward,collection day,bin\nNorth,Monday,blue\nSouth,Tuesday,green\n"
    extracted = extract("collections.csv", data)
    assert extracted.metadata["columns"] == ["ward", "collection day", "bin"]
    assert extracted.metadata["preview"][1] == {"ward": "South", "collection day": "Tuesday",
                                                "bin": "green"}
    assert "ward: South; collection day: Tuesday; bin: green" in extracted.text


def test_json_list_of_objects_is_a_table():
    extracted = extract("banks.json", b'[{"name": "Riverside food bank", "open": "Tue"}]')
    assert extracted.metadata["columns"] == ["name", "open"]
    assert "name: Riverside food bank" in extracted.text


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("virus.exe", b"MZ...", "Unsupported file type"),
    ("empty.md", b"   ", "empty"),
    ("broken.pdf", b"%PDF-1.4 garbage that is not a pdf", "corrupt"),
    ("fake.pdf", b"hello", "not a PDF"),
    ("fake.docx", b"hello", "not a .docx"),
    ("bad.json", b"{not json", "malformed"),
    ("bad.md", b"---\ntitle: [unclosed\n---\nbody", "front matter"),
])
def test_unreadable_files_are_refused_with_a_reason(name, data, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract(name, data)


def test_encrypted_pdf_is_refused():
    with pytest.raises(ExtractionError, match="encrypted"):
        extract("locked.pdf", pdf_bytes("Locked", SECTIONS, encrypt="secret"))


def test_anchors_are_unique_and_readable():
    extracted = extract("faq.md", b"# FAQ\n\n## Cost\n\nFree.\n\n## Cost\n\nStill free.\n\nx")
    assert anchors_for(extracted.sections) == ["cost", "cost-2"]
