"""axe-core in the browser tests: the vendored tests/vendor/axe-core/axe.min.js (npm axe-core 4.14.1, MPL-2.0)
is injected into the page; no download at test time."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    """Serious and critical WCAG 2.x A/AA violations of the page, as readable lines (empty: none)."""
    # Evaluated through the DevTools protocol, not added as a <script>: the site's Content-Security-Policy
    # (script-src 'self' with nonces) rightly refuses an injected inline script.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    lines = []
    for v in result["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return lines
