"""Check a page in the browser with axe-core against WCAG 2.2 AA."""

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now and return its WCAG A/AA violations.

    The script is evaluated through the DevTools protocol, so the page's Content
    Security Policy (no inline scripts) does not have to be loosened for the test.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "tags => axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  - {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    """Fail, listing each violation and where it is, unless the page passes WCAG 2.2 AA rules."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
