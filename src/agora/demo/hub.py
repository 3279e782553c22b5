"""Riverton's part of the information hub: render the corpus and publish it.

Each document of `hub_corpus` is rendered in its format (Markdown with front matter,
HTML with navigation and a footer around the main content, a bookmarked PDF by fpdf2, a
Word file by python-docx, plain text, CSV) and published through
`content.services.document_publish`, the service `agora ingest` uses, so the demo
exercises extraction as real files do. PDFs and Word files are made at load time rather
than committed: the repository stays text, and the corpus stays one readable module.
A second load publishes the same bytes again, which changes nothing.
"""

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

from agora.content.services import Details, Upload, document_publish
from agora.core.actors import SYSTEM
from agora.demo.hub_corpus import Doc, Table, documents, tables
from agora.demo.names import ORGANISATIONS
from agora.organizations.models import Organization

MAIL = {spec["slug"]: spec["mail"] for spec in ORGANISATIONS}
# Files carry the time they were made; the demo's carry this one, so the same document
# renders to the same bytes on every load (and a second load adds no versions).
FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def _source_url(doc: Doc) -> str:
    return f"https://{MAIL[doc.owner]}.riverton.example/{doc.slug}"


def _markdown(doc: Doc) -> bytes:
    lines = ["---", f'title: "{doc.title}"']
    if doc.classification in ("open", "public"):
        lines.append(f"source_url: {_source_url(doc)}")
    if doc.summary:
        lines.append(f'summary: "{doc.summary}"')
    lines += ["licence: Open Government Licence v3.0", "---", "", f"# {doc.title}", ""]
    for heading, text in doc.sections.items():
        lines += [f"## {heading}", "", text, ""]
    return "\n".join(lines).encode()


def _html(doc: Doc) -> bytes:
    body = "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in doc.sections.items())
    canonical = (f'<link rel="canonical" href="{_source_url(doc)}">'
                 if doc.classification in ("open", "public") else "")
    return (
        f"<!DOCTYPE html><html lang=en><head><title>{doc.title} - Riverton</title>{canonical}"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/services'>Services</a> "
        "<a href='/news'>News</a></nav></header>"
        f"<main><h1>{doc.title}</h1>{body}</main>"
        "<footer>Cookies · Accessibility · Contact us</footer></body></html>"
    ).encode()


def _pdf(doc: Doc) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_title(doc.title)
    pdf.add_page()
    pdf.set_font("helvetica", "B", size=16)
    pdf.multi_cell(0, 9, doc.title, new_x="LMARGIN", new_y="NEXT")
    for heading, text in doc.sections.items():
        pdf.start_section(heading)
        pdf.set_font("helvetica", "B", size=13)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, text.replace("£", "GBP "), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _docx(doc: Doc) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = doc.title
    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.add_heading(doc.title, level=0)
    for heading, text in doc.sections.items():
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    # python-docx stamps each zip entry with the current time: stamp them with ours.
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(fixed, "w",
                                                            zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(info))
    return fixed.getvalue()


def _text(doc: Doc) -> bytes:
    lines = [doc.title, "=" * len(doc.title), ""]
    for heading, text in doc.sections.items():
        lines += [heading, "-" * len(heading), "", text, ""]
    return "\n".join(lines).encode()


RENDER: dict[str, Callable[[Doc], bytes]] = {
    "md": _markdown, "html": _html, "pdf": _pdf, "docx": _docx, "txt": _text,
}


def _csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode()


def hub_load(*, step: Callable[[str], None]) -> int:
    """Publish Riverton's documents and datasets; return how many were new or changed."""
    owners = {org.slug: org for org in Organization.objects.filter(slug__in=MAIL)}
    changed = 0
    for doc in documents():
        published = document_publish(
            actor=SYSTEM, owner=owners[doc.owner], source_key=f"demo/{doc.slug}",
            upload=Upload(f"{doc.slug}.{doc.fmt}", RENDER[doc.fmt](doc)),
            details=Details(classification=doc.classification, restricted_roles=doc.roles,
                            topics=doc.topics, kind=doc.kind, title=doc.title),
        )
        changed += published.outcome != "unchanged"
    for table in tables():
        published = document_publish(
            actor=SYSTEM, owner=owners[table.owner], source_key=f"demo/{table.slug}",
            upload=Upload(f"{table.slug}.csv", _csv(table)),
            details=Details(classification=table.classification, topics=table.topics,
                            kind="dataset", title=table.title),
        )
        changed += published.outcome != "unchanged"
    step(f"Information hub: {len(documents()) + len(tables())} documents")
    return changed
