"""`_()` in templates (i18n._template_gettext) behaves as Jinja's newstyle gettext: translated,
marked safe, values escaped and put in with %, "%%" printed as "%"."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale


def render(app: Flask, source: str, locale: str = "vi", **values: object) -> str:
    with app.test_request_context("/"), force_locale(locale):
        return app.jinja_env.from_string(source).render(**values)


def test_strings_are_translated_into_the_readers_language(app: Flask) -> None:
    assert render(app, '{{ _("My courses") }}', "vi") == "Khóa học của tôi"
    assert render(app, '{{ _("My courses") }}', "en") == "My courses"


def test_values_are_escaped_and_put_in_even_one_called_message(app: Flask) -> None:
    page = render(app, '{{ _("Line %(line)s: %(message)s", line=3, message=text) }}', "en",
                  text="<script>")
    assert page == "Line 3: &lt;script&gt;"


def test_a_doubled_percent_prints_one_and_the_text_itself_is_not_escaped_again(app: Flask
                                                                               ) -> None:
    assert render(app, '{{ _("100%% & more") }}', "en") == "100% & more"
