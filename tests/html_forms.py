"""What a browser would submit from a page's form, read from the page's HTML (for tests that post
forms as a browser does: the test client's or a real server's responses alike)."""

from __future__ import annotations

from html.parser import HTMLParser


class _EditFormParser(HTMLParser):
    """Collects what a browser would submit from the page's edit form (the post form without an action)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post" and "action" not in a:
            self.in_form = True
        if not self.in_form or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value") or "on"))
                return
            self.data.append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.data.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            if chosen:
                self.data.append((self._select, chosen[0]))
            self._select = None


def form_data(response) -> dict[str, str]:
    """The edit form's fields as a browser would post them (without any button's `action`).

    `response` is anything with the page's bytes as `.content` (Django's test client or requests).
    """
    parser = _EditFormParser()
    parser.feed(response.content.decode())
    return dict(parser.data)
