"""Linting message templates: merge fields are variables, rendered with a sample profile."""
from linter import Config, lint


def findings(text, **kw):
    return [(f.code, f.excerpt) for f in lint(text, path=kw.pop("path", "t.txt"), **kw).findings
            if f.severity != "info"]


def test_merge_fields_are_not_unfilled_placeholders_in_a_template():
    text = ("---\ntemplate: true\n---\nHi {{first_name}}, your post on {{ post_topic }} made me rethink our "
            "rota. What changed after the first month?\n")
    assert findings(text) == []
    assert ("PZ001", "{{first_name}}") in findings(text.replace("template: true", "template: false"))


def test_unknown_merge_field_is_reported_with_its_span():
    text = "---\ntemplate: true\n---\nHi {{ frist_name }}, your post on {{ post_topic }} was great. How did it go?\n"
    assert findings(text) == [("PZ006", "{{ frist_name }}")]
    ok = Config(template_variables=("frist_name",))
    assert findings(text, config=ok) == []


def test_a_template_whose_every_rendering_is_a_hard_sell_still_fails_with_spans_on_the_template():
    text = ("---\ntemplate: true\n---\nHi {{first_name}}, we help companies like {{company}} cut costs. "
            "Free for a call Thursday?\n")
    report = lint(text, path="t.txt")
    assert report.fails()
    for f in report.findings:
        assert text[f.start:f.end] == f.excerpt
    assert ("HS001", "we help companies like {{company}} cut costs.") in findings(text)


def test_template_globs_and_merge_syntaxes_are_configurable():
    text = "Hi *|FNAME|*, your post on *|POST_TOPIC|* was great. How did the first month go?\n"
    config = Config(merge_syntax="mailchimp")
    assert findings(text, path="seq/step1.j2", config=config) == []
    assert ("PZ001", "*|FNAME|*") in findings(text, path="seq/step1.txt", config=config)
    custom = Config(merge_syntax=r"<<(?P<name>\w+)>>", template_files=("*.tpl",))
    assert findings("Hi <<first_name>>, your post on <<post_topic>> was great. How did it go?",
                    path="a.tpl", config=custom) == []
