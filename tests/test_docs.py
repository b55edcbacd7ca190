"""The documentation holds together: every link in the README and docs/ resolves, the README stays short."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jbjr_budget.rules.statements import rules

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for the headings of a document: lower case, punctuation dropped, spaces as '-'."""
    headings = re.findall(r"^#+\s+(.*)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def _links() -> list[tuple[Path, str]]:
    return [(document, target) for document in DOCUMENTS
            for target in LINK.findall(document.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("document", "target"), _links(), ids=lambda value: str(value).rsplit("/", 1)[-1])
def test_link_resolves(document: Path, target: str) -> None:
    if target.startswith(("http://", "https://", "mailto:")):
        return
    path, _, anchor = target.partition("#")
    destination = (document.parent / path).resolve() if path else document
    assert destination.exists(), f"{document.name}: {target} bestaat niet"
    if anchor:
        assert anchor in _anchors(destination.read_text(encoding="utf-8")), f"{document.name}: #{anchor} ontbreekt"


def test_readme_is_short_and_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    commands = re.search(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    assert commands is not None
    assert text.index("```bash") < 40
    assert "jbjr-budget begroting" in commands.group(1)
    test_command = next(line for line in commands.group(1).splitlines() if "pytest" in line)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_controllers_guide_quotes_every_rule_as_stated_in_the_code() -> None:
    guide = (ROOT / "docs" / "controllers.md").read_text(encoding="utf-8")
    quoted = dict(re.findall(r"<!-- rekenregel: ([^>]+) -->\n- \*\*[^*]+\*\*: (.*)\n<!-- /rekenregel -->", guide))
    assert quoted == rules(), "docs/controllers.md citeert de rekenregels niet letterlijk uit jbjr_budget/rules"
