"""`agora ingest`: folders and zips, idempotence, refusals with reasons, and interruption."""

import io
import zipfile

import pytest
from typer.testing import CliRunner

from agora.audit.models import LogEntry
from agora.cli import app
from agora.content import ingest as ingest_module
from agora.content import services
from agora.content.ingest import candidates, ingest
from agora.content.models import Document, Version
from agora.content.services import Details
from agora.core.actors import SYSTEM
from agora.search.models import IndexedSection
from tests.content.helpers import docx_bytes, markdown, pdf_bytes

SECTIONS = {"Opening hours": "Monday to Friday, 9am to 5pm."}


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "guidance"
    (root / "sub").mkdir(parents=True)
    (root / "library.md").write_bytes(markdown("Library", SECTIONS))
    (root / "sub" / "pool.pdf").write_bytes(pdf_bytes("Swimming pool", SECTIONS))
    (root / "sub" / "gym.docx").write_bytes(docx_bytes("Gym", SECTIONS))
    (root / "notes.exe").write_bytes(b"MZ")
    (root / "locked.pdf").write_bytes(pdf_bytes("Locked", SECTIONS, encrypt="pw"))
    (root / ".hidden.md").write_bytes(b"# Hidden")
    return root


def run(paths, owner, **details):
    return ingest(actor=SYSTEM, owner=owner, items=candidates(paths), details=Details(**details))


def test_a_folder_is_taken_and_each_refusal_has_its_reason(council, folder):
    report = run([folder], council)
    assert (report.created, report.unchanged) == (3, 0)
    reasons = {refusal.name: refusal.reason for refusal in report.refused}
    assert "Unsupported file type" in reasons["notes.exe"]
    assert "encrypted" in reasons["locked.pdf"]
    assert sorted(Document.objects.values_list("title", flat=True)) == [
        "Gym", "Library", "Swimming pool"]


def test_a_second_run_changes_nothing_and_a_changed_file_adds_a_version(council, folder):
    run([folder], council)
    assert run([folder], council).unchanged == 3
    (folder / "library.md").write_bytes(markdown("Library", {"Opening hours": "Closed Sunday."}))
    report = run([folder], council)
    assert (report.new_versions, report.unchanged) == (1, 2)
    assert Version.objects.count() == 4


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_is_taken_and_traversal_entries_are_refused(council, tmp_path):
    archive = tmp_path / "pack.zip"
    archive.write_bytes(_zip({"a/pool.md": markdown("Pool", SECTIONS),
                              "../../etc/evil.md": markdown("Evil", SECTIONS),
                              "/abs.md": markdown("Abs", SECTIONS)}))
    report = run([archive], council)
    assert report.created == 1
    reasons = {refusal.name: refusal.reason for refusal in report.refused}
    assert "path traversal" in reasons["pack.zip/../../etc/evil.md"]
    assert "path traversal" in reasons["pack.zip//abs.md"]


def test_zip_bombs_are_refused_by_ratio_and_by_entry_count(council, tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_zip({"zeros.txt": b"0" * 5_000_000}))
    report = run([bomb], council)
    assert "zip bomb" in report.refused[0].reason
    monkeypatch.setattr(ingest_module, "ZIP_MAX_ENTRIES", 2)
    many = tmp_path / "many.zip"
    many.write_bytes(_zip({f"{n}.md": markdown(f"Doc {n}", SECTIONS) for n in range(3)}))
    report = run([many], council)
    assert "3 entries; the limit is 2" in report.refused[0].reason
    assert not Document.objects.exists()


def test_an_interrupted_ingest_leaves_whole_documents_and_a_rerun_finishes(
    council, folder, monkeypatch
):
    real = services.log_append
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:  # the version and its sections are written; the log entry is next
            raise KeyboardInterrupt  # the operator pressed Ctrl-C mid-file
        return real(**kwargs)

    # Two files a transaction: library.md (and the refused locked.pdf) commit, then the
    # batch of gym.docx and pool.pdf is interrupted inside gym.docx.
    monkeypatch.setattr(ingest_module, "BATCH_FILES", 2)
    monkeypatch.setattr(services, "log_append", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        run([folder], council)
    assert list(Document.objects.values_list("title", flat=True)) == ["Library"]
    assert Version.objects.count() == 1
    assert IndexedSection.objects.values("document_key").distinct().count() == 1
    assert LogEntry.objects.filter(action=LogEntry.Action.DOCUMENT_PUBLISH).count() == 1
    monkeypatch.setattr(services, "log_append", real)
    report = run([folder], council)
    assert (report.created, report.unchanged) == (2, 1)


def test_the_command_shows_a_summary_and_names_refused_files(council, folder):
    result = CliRunner().invoke(app, ["ingest", str(folder), "--org", "council",
                                      "--topic", "bereavement"])
    assert result.exit_code == 0, result.output
    assert "3 new documents" in result.output
    assert "notes.exe" in result.output and "encrypted" in result.output
    assert Document.objects.filter(topics__slug="bereavement").count() == 3


def test_the_command_refuses_an_unknown_organisation_or_topic(council, folder):
    result = CliRunner().invoke(app, ["ingest", str(folder), "--org", "nobody"])
    assert result.exit_code == 2 and "nobody" in result.output
    result = CliRunner().invoke(app, ["ingest", str(folder), "--org", "council",
                                      "--topic", "nope"])
    assert result.exit_code == 2 and "Unknown topic: nope" in result.output
    assert not Document.objects.exists()


def test_a_file_failing_inside_its_batch_is_refused_alone_and_its_words_not_counted(
    council, folder, monkeypatch
):
    from agora.core.exceptions import Conflict
    from agora.search.models import Term

    real = services.log_append

    def refuses_the_gym(**kwargs):
        if "Gym" in kwargs["reason"]:
            raise Conflict("The log refused it.")
        return real(**kwargs)

    monkeypatch.setattr(services, "log_append", refuses_the_gym)
    report = run([folder], council)
    assert report.created == 2
    assert "The log refused it." in {refusal.reason for refusal in report.refused}
    assert sorted(Document.objects.values_list("title", flat=True)) == ["Library",
                                                                        "Swimming pool"]
    assert Term.objects.get(term="monday").frequency == 2  # in every file, counted twice
    assert not Term.objects.filter(term="gym").exists()


def test_two_files_of_one_batch_naming_one_document_make_two_versions(council, tmp_path):
    url = "https://riverton.example/library"
    (tmp_path / "a.md").write_bytes(markdown("Library", SECTIONS, source_url=url))
    (tmp_path / "b.md").write_bytes(markdown("Library", {"Opening hours": "Closed."},
                                             source_url=url))
    report = run([tmp_path], council)
    assert (report.created, report.new_versions, report.refused) == (1, 1, [])
    document = Document.objects.get()
    assert document.current_version.number == 2
    indexed = IndexedSection.objects.filter(document_key=document.pk)
    assert [section.body for section in indexed] == ["Closed."]  # the current version only
