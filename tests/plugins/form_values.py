"""What a re-shown form holds: the values of its fields as the browser would submit them."""

from __future__ import annotations

from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str | None, value: str | None) -> None:
        if name:
            self.values.setdefault(name, []).append(value or "")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a.get("name"), a.get("value") or "on")
            elif kind not in ("submit", "button", "file", "hidden"):
                self._add(a.get("name"), a.get("value"))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value"))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(response) -> dict[str, list[str]]:
    """name → the values a re-submit would send (checked boxes, selected options, text)."""
    parser = _Fields()
    parser.feed(response.get_data(as_text=True))
    return parser.values


def assert_kept(response, typed: dict) -> None:
    """Every value typed into the form is there again after an error."""
    values = form_values(response)
    for name, value in typed.items():
        wanted = value if isinstance(value, list) else [value]
        got = [v.strip() for v in values.get(name, [])]
        assert all(w.strip() in got for w in map(str, wanted)), (name, wanted, got)
