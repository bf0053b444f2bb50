"""Rule behaviour on small real drafts: documented examples, flagged spans, and hard negatives."""
import pytest

from linter import Config, Sender, catalogue, lint

# thread rules (audit) document thread transcripts: tests/test_audit_rules.py runs their examples
RULES = [m for m in catalogue.rules().values() if m.example_stage != "thread"]


def codes(report, min_severity=("warning", "error")):
    return {f.code for f in report.findings if f.severity in min_severity}


def excerpts(report, code):
    return [f.excerpt for f in report.findings if f.code == code]


@pytest.mark.parametrize("meta", RULES, ids=[m.code for m in RULES])
def test_documented_example_is_flagged_and_instead_is_clean(meta):
    bad = lint(meta.example, stage=meta.example_stage)
    good = lint(meta.instead, stage=meta.example_stage)
    assert meta.code in {f.code for f in bad.findings}
    assert meta.code not in {f.code for f in good.findings}
    assert not codes(good), [(f.code, f.excerpt) for f in good.findings]


@pytest.mark.parametrize("placeholder", [
    "{first_name}", "{{company}}", "{{ company_name }}", "[Name]", "[post topic]", "%FIRSTNAME%", "*|FNAME|*",
    "<Company>", "${name}", "___", "(company name)",
])
def test_every_placeholder_syntax_is_an_error_with_its_exact_span(placeholder):
    report = lint(f"Hi there, I loved what {placeholder} shared last week about hiring.", stage="post-connection")
    found = [f for f in report.findings if f.code == "PZ001"]
    assert [f.excerpt for f in found] == [placeholder]
    assert found[0].severity == "error"


@pytest.mark.parametrize("text", [
    "Your blog post on why Helm's {{ .Values }} templating gets unreadable was spot on.",
    "Our newsroom shipped a <table> toggle under every chart last month.",
    "Re your RFP (ref. [ANK-114]): our quote is attached.",
    "See the footnote [1] in your paper on soil carbon.",
])
def test_code_html_and_references_are_not_placeholders(text):
    assert "PZ001" not in {f.code for f in lint(text, stage="cold").findings}


def test_post_connection_hard_sell_spans():
    text = ("Hi Joanne, thanks for connecting! We help companies like yours 3x their leads. "
            "Free for 15 min on Thursday? Here's my calendar: https://calendly.com/x")
    report = lint(text)
    assert excerpts(report, "HS001") == ["We help companies like yours 3x their leads."]
    assert excerpts(report, "HS002") == ["Free for 15 min on Thursday?"]
    assert excerpts(report, "HS004") == ["https://calendly.com/x"]
    assert {"hard-sell", "personalisation", "self-centred"} <= {f.category for f in report.findings
                                                                if f.severity != "info"}
    assert report.fails("error")


@pytest.mark.parametrize("end", ["?", "."])
def test_an_indirect_question_is_the_ask_a_pitch_carries_with_or_without_its_question_mark(end):
    text = ("Hi Mateo, I place senior data engineers with fintech companies in Madrid. "
            f"I was curious if you had any interest in hearing about two openings{end}")
    [pitch] = [f for f in lint(text, stage="cold").findings if f.code == "HS001"]
    assert pitch.excerpt == "I place senior data engineers with fintech companies in Madrid."
    assert pitch.message.endswith("(job, with an ask).")


def test_calendar_link_is_fine_in_a_reply_but_not_in_a_first_message():
    text = "Thanks Olu! Here's my calendar, pick whatever suits: https://calendly.com/nadine/30min"
    assert "HS004" not in {f.code for f in lint(text, stage="reply").findings}
    assert "HS004" in codes(lint(text, stage="post-connection"))
    assert "HS004" in {f.code for f in lint(text, stage="connection-request").findings
                       if f.severity == "error"}


def test_meeting_ask_to_someone_you_met_is_only_a_hint():
    text = "Great meeting you at the Lisbon fintech meetup last night, Rui! Coffee next week?"
    found = [f for f in lint(text, stage="post-connection").findings if f.code == "HS002"]
    assert [f.severity for f in found] == ["info"]


def test_quoted_spam_is_not_flagged():
    text = ('Hi Elif, someone sent me "Book a demo now! Limited spots this week!" and it made me think of your '
            "post on earning the right to ask. What does the first useful thing look like in insurance?")
    assert not ({"HS002", "HS003", "HS004"} & {f.code for f in lint(text, stage="cold").findings})


def test_nagging_follow_up_and_missing_opt_out():
    report = lint("Hi Priya, just bumping this. Did you see my last message?", stage="follow-up")
    assert excerpts(report, "HS005") == ["just bumping", "Did you see my last"]
    assert "HS006" in codes(report)


def test_follow_up_with_new_value_and_opt_out_is_clean():
    text = ("Hi Pilar, since my note the city published the volunteering survey with the neighbourhood data you "
            "said you were missing for the Vallecas report. If the timing's off, no worries at all.")
    assert not codes(lint(text, stage="follow-up", sequence_step=2))


def test_follow_up_after_they_replied_needs_no_opt_out():
    text = "Perfect, I'll bring the draft budget for the mentoring pilot you asked about. See you then, Hamid!"
    assert "HS006" not in {f.code for f in lint(text, stage="follow-up", replied=True).findings}


def test_scripted_opener():
    report = lint("Hi Joanne, how are you today? I wanted to tell you about our new payroll app.", stage="cold")
    assert excerpts(report, "HS007") == ["how are you today"]


def test_fake_hook_and_named_mutual_connection():
    fake = lint("Hi Omar, I came across your profile and would like to add you to my network.",
                stage="connection-request")
    assert excerpts(fake, "PZ002") == ["came across your profile", "add you to my network"]
    named = lint("Hi Phil, I noticed we have a few mutual connections, including Eddie Marsh and Craig Lee. "
                 "Eddie suggested I say hello.", stage="post-connection")
    assert not ({"PZ002", "PZ003"} & {f.code for f in named.findings})


def test_no_specific_detail_uses_the_profile_facts():
    profile = {"first_name": "Dana", "company": "Northwind",
               "recent_posts": [{"topic": "rerouting freight around port strikes",
                                 "text": "We moved three lanes to rail during the strike."}]}
    generic = lint("Hi Dana, thanks for connecting. Northwind looks like a great place to work!",
                   profile=profile)
    assert "PZ003" in codes(generic)
    assert "recent_posts" in next(f.message for f in generic.findings if f.code == "PZ003")
    specific = lint("Hi Dana, thanks for connecting. How did the move of three lanes to rail during the strike "
                    "work out?", profile=profile)
    assert "PZ003" not in {f.code for f in specific.findings}
    assert specific.metrics["profile_facts_used"] == ["recent_posts"]


def test_wrong_name_and_wrong_company_against_the_profile():
    profile = {"name": "Maria Lopez", "company": "Northwind"}
    report = lint("Hi Sarah, congrats on your new team at Contoso! Your post on spring planting was great.",
                  profile=profile)
    assert set(excerpts(report, "PZ004")) == {"Sarah", "Contoso"}
    ok = lint("Dear Dr. Lopez, your post on spring planting schedules was great.", profile=profile)
    assert "PZ004" not in {f.code for f in ok.findings}


def test_generic_greeting_only_at_the_start():
    assert excerpts(lint("Hi there, your talk on rooftop hives was great.", stage="cold"), "PZ005") == ["Hi there"]
    assert "PZ005" not in {f.code for f in lint("Greetings Laurie Bennett, your talk on hives was great.",
                                               stage="cold").findings}


def test_self_centred_message_and_configured_sender_company():
    text = ("My name is Luis and I am the founder of a bookkeeping agency. We are an award-winning firm trusted "
            "by 500+ companies. We have offices in three countries.")
    report = lint(text, stage="cold")
    assert {"SC002", "SC003"} <= codes(report)
    assert [f.severity for f in report.findings if f.code == "SC001"] == ["info"]
    config = Config(sender=Sender(company="Ledgerly"))
    named = lint("Ledgerly automates reconciliations. Ledgerly integrates with Xero. Ledgerly is fast.",
                 stage="cold", config=config)
    assert named.metrics["sender_clauses"] == 3


def test_one_line_of_self_introduction_in_a_recipient_focused_note_is_fine():
    text = ("Hi Dr. Nakamura, I'm a 2nd-year bioinformatics student at TU Delft. Your 2023 paper on long-read "
            "assembly errors in polyploid plants is why I chose my thesis topic. Could I ask one question?")
    assert not codes(lint(text, stage="connection-request"))


def test_promote_my_work_is_self_centred_and_a_first_touch_push():
    report = lint("Hi Wei, would you star this repository? https://github.com/x/y It really helps the project.",
                  stage="cold")
    assert {"SC005", "HS001"} <= codes(report)
    offer = lint("Your thread on teaching SQL was great; I'd be happy to share our exercises if useful.",
                 stage="cold")
    assert "SC005" not in {f.code for f in offer.findings}


def test_feature_list():
    text = "Our tool includes:\n- real-time dashboards\n- 40 integrations\n- SSO and audit logs\n"
    report = lint(text, stage="cold")
    assert excerpts(report, "SC004") == ["- real-time dashboards\n- 40 integrations\n- SSO and audit logs"]


def test_form_limits_are_configurable():
    note = "Hi Ben, " + "your article on community solar financing was the clearest I have read. " * 5
    assert "FM001" in {f.code for f in lint(note, stage="connection-request").findings}
    short = Config(note_limit=200)
    note200 = "Hi Ben, your article on how Midwest co-ops finance community solar was the clearest take on tax " \
              "equity I've read. I work on rural utility financing in Iowa and Nebraska, mostly co-op boards, and would " \
              "love to connect."
    assert 200 < len(note200) <= 300
    assert "FM001" not in {f.code for f in lint(note200, stage="connection-request").findings}
    assert "FM001" in {f.code for f in lint(note200, stage="connection-request", config=short).findings}


def test_select_ignore_and_severity_overrides():
    text = "Hi Marco, thanks for connecting. Are you free for a quick 15-minute call on Thursday?"
    assert {f.code for f in lint(text, config=Config(select=("HS",))).findings} <= {c for c in
                                                                                    catalogue.rules() if c[:2] == "HS"}
    assert "HS002" not in {f.code for f in lint(text, config=Config(ignore=("uninvited-meeting-ask",))).findings}
    raised = lint(text, config=Config(severity={"HS002": "error"}))
    assert [f.severity for f in raised.findings if f.code == "HS002"] == ["error"]


def test_score_formula():
    report = lint("Hi {first_name}, just bumping this.", stage="follow-up")
    penalty = {"error": 25, "warning": 10, "info": 2}
    assert report.score == max(0, 100 - sum(penalty[f.severity] for f in report.findings))
