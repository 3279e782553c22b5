"""Build hub documents in one line: a Markdown file published through the real service."""

import io

from agora.content.services import Details, Upload, document_publish
from agora.core.actors import SYSTEM


def markdown(title: str, sections: dict[str, str], **front) -> bytes:
    """Return a Markdown file with front matter, an H1 title and one H2 per section."""
    lines = ["---", f"title: {title}"]
    lines += [f"{key}: {value}" for key, value in front.items()]
    lines += ["---", "", f"# {title}", ""]
    for heading, text in sections.items():
        lines += [f"## {heading}", "", text, ""]
    return "\n".join(lines).encode()


def publish(owner, key: str, title: str, sections: dict[str, str], *,
            classification: str = "public", roles=(), topics=(), kind: str = "",
            actor=SYSTEM, **front):
    """Publish a Markdown document and return the `Published` result."""
    return document_publish(
        actor=actor, owner=owner, source_key=key,
        upload=Upload(f"{key}.md", markdown(title, sections, **front)),
        details=Details(classification=classification, restricted_roles=tuple(roles),
                        topics=tuple(topics), kind=kind),
    )


def pdf_bytes(title: str, sections: dict[str, str], *, encrypt: str = "") -> bytes:
    """Return a PDF with a bookmark per section (fpdf2), encrypted with `encrypt` if given."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", size=16)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    for heading, text in sections.items():
        pdf.start_section(heading)
        pdf.set_font("helvetica", "B", size=13)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    if encrypt:
        pdf.set_encryption(owner_password=encrypt, user_password=encrypt)
    return bytes(pdf.output())


def docx_bytes(title: str, sections: dict[str, str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for heading, text in sections.items():
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
