#!/usr/bin/env python
"""Seeded generator of realistic LinkedIn data exports (fictional people only) for every era and edge case.

    python tests/linkedin_export.py OUT.zip --era 2024 --conversations 200 --seed 7 [--resaved] [--folder]

Eras follow ../shared/LINKEDIN_EXPORT.md: 2018 (Messages.csv with Direction, US dates, HTML entities),
2020 (no preamble, no URL, 9 columns), 2022 (preamble, no URL, 9 columns), 2024 (preamble, URL, 10 quoted
columns) and 2026 (12 quoted columns, CRLF inside messages, drafts). `generate` returns the ground truth: the
owner and, for every message the owner really sent, its intended stage, sequence step and replied flag.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ERAS = ("2018", "2020", "2022", "2024", "2026")
OWNER = ("Sam", "Rivera", "https://www.linkedin.com/in/sam-rivera-0a1b2c")
FIRST = ["Dana", "Marco", "Priya", "Tom", "Ana", "Omar", "Grace", "Lena", "Ivy", "Zoe", "Ben", "Rosa", "Sol",
         "Joanne", "Luis", "Mei", "Kwame", "Aisha", "Henrik", "Chloe", "Ravi", "Nora", "Tariq", "Elif", "Jonas",
         "Fatima", "Diego", "Hana", "Olu", "Mateo", "Ingrid", "Yusuf", "Sara", "Pavel", "Leila", "Arjun"]
LAST = ["Okoro", "Bianchi", "Nair", "Fischer", "Costa", "Haddad", "Kim", "Novak", "Chen", "Dubois", "Adeyemi",
        "Silva", "Larsen", "Moreau", "Tanaka", "Mensah", "Kowalski", "Rossi", "Garcia", "Nguyen", "Schmidt",
        "Petrova", "Jensen", "Oyelaran", "Ibrahim", "Sato", "Varga", "Murphy", "Lindqvist", "Aziz"]
COMPANIES = ["Northwind", "Lumen Health", "Greenfield Logistics", "Atlas Robotics", "Brightpath", "Keel Finance",
             "Harbor Foods", "Quill Media", "Orbital Labs", "Fernway Energy"]
TOPICS = [("rerouting freight around the port strikes", "moving the Antwerp lanes first"),
          ("hiring a support engineer before a second AE", "the churn numbers after the first hire"),
          ("nurses owning the shift-swap rules", "the pilot on the cardiology ward"),
          ("moving the finance team off spreadsheets", "closing the books two days faster"),
          ("warehouse robotics pilots", "what broke in the first month"),
          ("open-source funding models", "the sponsorship tiers"),
          ("drought-resistant barley trials", "the second season's yields")]
PITCHES = [
    "Thanks for connecting, {first}! We help {company}-sized teams cut reporting time by 40% with our analytics "
    "platform. Are you free for a quick 15-minute call on Thursday?",
    "Hi {first}, great to connect. Our agency builds lead-generation funnels for companies like {company}. "
    "Can we book a demo next week? https://calendly.com/sam-rivera/30min",
    "Hi {first}, thanks for accepting! I'm the founder of a payroll app trusted by 500+ companies. "
    "Would you be open to a 20-minute demo this week?",
]
COPY_PASTE = ("Hi {first},\nI help B2B founders book 20+ qualified meetings a month without cold calling. "
              "Would you be open to a short call this week to see if it's a fit?")
WARM = [
    "Hi {first}, your post about {topic} was really sharp, especially {detail}. How did your team decide "
    "where to start?",
    "Thanks for connecting, {first}. I enjoyed your piece on {topic}; I had not thought about {detail}. "
    "What surprised you most?",
]
NAGS = [
    "Hi {first}, just bumping this to the top of your inbox. Did you see my last message?",
    "Following up on my note above: would Tuesday or Wednesday work for a 15-minute call?",
    "Hi {first}, circling back again. Can we get 15 minutes on the calendar this week?",
]
OPT_OUT = ("Hi {first}, one more thing that might help with {topic}: the checklist we use. If this isn't a "
           "priority, just say so and I won't follow up.")
THEIR_REPLIES = ["Thanks Sam, not right now, maybe next quarter.", "Sure, happy to chat. What do you have in mind?",
                 "Interesting! Can you send me more details?", "Ha, thanks. It was a long year for {detail}."]
OWNER_REPLIES = ["Great, here's my calendar, pick whatever suits: https://calendly.com/sam-rivera/30min",
                 "Thanks {first}! I'll send the write-up over today. Which email is best?",
                 "Makes sense, {first}. I'll check back after the quarter closes."]
COLD = ["Hi {first}, I hope this message finds you well. Our platform helps companies like {company} "
        "double their pipeline. Are you available for a quick call next week?",
        "Hi {first}, I came across your profile and was impressed by your background. We are the leading "
        "provider of compliance software. Can I show you a demo?"]
RECRUITER = "Dear {owner_full},\n\nI have an exciting opportunity for a Head of Sales role. Are you open to a chat?"
SPONSORED = ("<p>Hi %FIRSTNAME%,</p><p>Join 10,000 leaders at <b>GrowthSummit 2024</b>. Register today&nbsp;"
             "and save 30%!</p>")
CV = ("Hi Sam, as discussed please find my CV below.\n\nPROFILE\nOperations manager with 12 years of experience "
      "in logistics.\n\nEXPERIENCE\n2015-2024 Greenfield Logistics, Operations Manager\n- Led a team of 40\n"
      "- Cut delivery times by 18%\n\nEDUCATION\nBSc Industrial Engineering, 2011")
NOTES = ["Hi {first}, your talk on {topic} was the clearest take I've heard. Would love to connect.",
         "Hi {first}, I help companies like {company} grow revenue with our sales platform. Let's connect and "
         "set up a call to discuss how we can help you hit your targets this quarter; I have some ideas for "
         "{company} already.",
         ""]
STYLED = "\U0001d400\U0001d42e\U0001d42b\U0001d428\U0001d42b\U0001d41a"  # "Aurora" in mathematical bold
CONN_PREAMBLE = {"2022": ('Notes:\n"When exporting your connection data, you may notice that some of the email '
                          'addresses are missing. You will only see email addresses for connections who have '
                          'allowed their connections to see or download their email address using this setting '
                          'https://www.linkedin.com/psettings/privacy/email. You can learn more here: '
                          'https://www.linkedin.com/help/linkedin/answer/261"\n\n'),
                 "2024": ('Notes:\n"When exporting your connection data, you may notice that some of the email '
                          'addresses are missing. You will only see email addresses for connections who have '
                          'allowed their connections to see or download their email address using this setting '
                          'https://www.linkedin.com/psettings/privacy/email. You can learn more about how to '
                          'export your connections: https://www.linkedin.com/help/linkedin/answer/66844"\n\n')}
CONN_PREAMBLE["2026"] = CONN_PREAMBLE["2024"]


@dataclass
class Person:
    first: str
    last: str
    url: str
    company: str
    connected: datetime | None  # None: not a connection

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Truth:
    """What the generator meant: the owner, and per sent message (partner, text) its stage/step/replied."""

    owner: str
    owner_url: str
    sent: list[dict] = field(default_factory=list)
    messages: int = 0
    conversations: int = 0
    copy_paste: list[str] = field(default_factory=list)  # partners who got the copy-paste opener
    pitched_on_accept: list[str] = field(default_factory=list)
    chased: list[str] = field(default_factory=list)
    invitations_sent: int = 0


def generate(out: Path, era: str = "2024", conversations: int = 40, seed: int = 7, resaved: bool = False,
             folder: bool = False, shuffle_rows: bool = False, edge_cases: bool = True,
             distinct_texts: int | None = None) -> Truth:
    """Write an export to `out` (.zip, or a folder with folder=True) and return its ground truth.

    distinct_texts caps the number of distinct sent texts (the bench uses it to measure the cache path)."""
    if era not in ERAS:
        raise ValueError(f"era must be one of {ERAS}")
    rng = random.Random(seed)
    truth = Truth(f"{OWNER[0]} {OWNER[1]}", OWNER[2] if era >= "2020" else "")
    start = datetime(2018 if era == "2018" else 2020, 1, 6, 9, 0)
    span_days = {"2018": 900, "2020": 500, "2022": 900, "2024": 1400, "2026": 2100}[era]
    people, threads, invitations = [], [], []
    used = set()
    for i in range(conversations):
        kind = rng.choices(["pitch", "warm", "cold", "copy", "incoming", "chase"], [3, 3, 1, 2, 1, 2])[0]
        if edge_cases and i < 6:
            kind = ["pitch", "copy", "copy", "copy", "chase", "warm"][i]
        person = _person(rng, used, i, era, start, span_days, connected=kind != "cold")
        people.append(person)
        msgs = _thread(rng, kind, person, truth, era, distinct_texts, i)
        threads.append((person, msgs, None))
        if kind in ("pitch", "copy", "warm", "chase") and rng.random() < 0.5:
            note = rng.choice(NOTES).format(**_fill(person, rng, i, distinct_texts))
            invitations.append(("OUTGOING", person, person.connected - timedelta(hours=rng.randint(2, 60)), note))
            truth.invitations_sent += bool(note)
    if edge_cases:
        _edge_threads(rng, era, start, threads, people, used, truth)
    for j in range(conversations // 4 + 2):  # connections never messaged
        people.append(_person(rng, used, 10_000 + j, era, start, span_days, connected=True))
    for person in rng.sample(people, min(3, len(people))):
        if person.connected:
            invitations.append(("INCOMING", person, person.connected - timedelta(days=1), ""))
    truth.conversations = len(threads) + (era == "2018")  # 2018: plus LinkedIn's own promotion
    truth.messages = sum(len(m) for _, m, _ in threads) + (era == "2018")
    files = {"Connections.csv": _connections(people, era, rng, resaved, edge_cases),
             ("Messages.csv" if era == "2018" else "messages.csv"): _messages(threads, era, rng, shuffle_rows),
             "Invitations.csv": _invitations(invitations, era)}
    if edge_cases and era >= "2022":
        files["guide_messages.csv"] = _header_only(era)
        files["learning_coach_messages.csv"] = _header_only(era)
        files["Profile.csv"] = "First Name,Last Name,Headline\nSam,Rivera,Partnerships at Keel Finance\n"
    _write(out, files, folder, resaved)
    return truth


def _person(rng, used, i, era, start, span_days, connected) -> Person:
    while True:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) not in used:
            break
        last = f"{last}-{rng.choice(LAST)}"
        if (first, last) not in used:
            break
    used.add((first, last))
    url = f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i:04x}"
    when = start + timedelta(days=rng.randint(0, span_days), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
    return Person(first, last, url, rng.choice(COMPANIES), when if connected else None)


def _fill(person: Person, rng, i: int, distinct: int | None) -> dict:
    topic, detail = TOPICS[(i if distinct is None else i % max(1, distinct)) % len(TOPICS)]
    first = person.first if distinct is None else FIRST[i % max(1, min(distinct, len(FIRST)))]
    return {"first": first, "company": person.company, "topic": topic, "detail": detail}


def _thread(rng, kind, person, truth, era, distinct, i) -> list[tuple]:
    """Messages of one conversation as (datetime, from_owner, text); records the sent ones in truth."""
    f = _fill(person, rng, i, distinct)
    msgs: list[tuple] = []
    base = person.connected or (datetime(2021, 3, 1) + timedelta(days=rng.randint(0, 600)))

    def send(when, text, stage, step, replied):
        msgs.append((when, True, text))
        truth.sent.append({"partner": person.name, "text": text, "stage": stage, "sequence_step": step,
                           "replied": replied, "date": when})

    if kind == "incoming":
        msgs.append((base + timedelta(days=3), False, RECRUITER.format(owner_full=truth.owner)))
        return msgs
    if kind == "cold":
        t = base
        send(t, rng.choice(COLD).format(**f), "cold", 1, False)
        if rng.random() < 0.6:
            send(t + timedelta(days=4), rng.choice(NAGS).format(**f), "follow-up", 2, False)
        return msgs
    if kind in ("pitch", "copy", "chase"):
        t = base + timedelta(minutes=rng.randint(2, 50))
        text = COPY_PASTE.format(**f) if kind == "copy" else rng.choice(PITCHES).format(**f)
        send(t, text, "post-connection", 1, False)
        truth.pitched_on_accept.append(person.name)
        if kind == "copy":
            truth.copy_paste.append(person.name)
        if kind == "chase":
            truth.chased.append(person.name)
            for step in (2, 3, 4):
                t += timedelta(days=1, hours=rng.randint(0, 5))
                send(t, NAGS[(step - 2) % len(NAGS)].format(**f), "follow-up", step, False)
            return msgs
        if rng.random() < 0.5:
            t += timedelta(days=rng.randint(1, 3))
            msgs.append((t, False, rng.choice(THEIR_REPLIES).format(**f)))
            t += timedelta(hours=rng.randint(1, 30))
            send(t, rng.choice(OWNER_REPLIES).format(**f), "reply", 2, True)
        elif rng.random() < 0.5:
            t += timedelta(days=rng.randint(3, 9))
            send(t, OPT_OUT.format(**f), "follow-up", 2, False)
        return msgs
    # warm
    t = base + timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 8))
    send(t, rng.choice(WARM).format(**f), "post-connection", 1, False)
    if rng.random() < 0.7:
        t += timedelta(days=rng.randint(0, 4), hours=3)
        msgs.append((t, False, rng.choice(THEIR_REPLIES).format(**f)))
        t += timedelta(hours=rng.randint(1, 20))
        send(t, rng.choice(OWNER_REPLIES).format(**f), "reply", 2, True)
    return msgs


def _edge_threads(rng, era, start, threads, people, used, truth) -> None:
    """Conversations every real export has: styled and emoji names, a name with ", Ph.D.", LinkedIn Member,
    a sponsored InMail, a pasted CV, a thread spanning years, and a draft that was never sent."""
    styled = Person(STYLED, "\U0001f680 Li", "https://www.linkedin.com/in/aurora-li-0042", "Orbital Labs",
                    start + timedelta(days=40, hours=3))
    phd = Person("Jane", "Doe, Ph.D.", "https://www.linkedin.com/in/jane-doe-phd", "Lumen Health",
                 start + timedelta(days=80, hours=5))
    people += [styled, phd]
    for person, i in ((styled, 900), (phd, 901)):
        f = _fill(person, rng, i, None)
        t = person.connected + timedelta(minutes=7)
        text = PITCHES[0].format(**f)
        threads.append((person, [(t, True, text)], None))
        truth.sent.append({"partner": person.name, "text": text, "stage": "post-connection", "sequence_step": 1,
                           "replied": False, "date": t})
        truth.pitched_on_accept.append(person.name)
    member = Person("LinkedIn", "Member", "", "", None)
    threads.append((member, [(start + timedelta(days=120), False, "Hi Sam, saw your profile, are you hiring?")],
                    None))
    if era >= "2020":
        sponsor = Person("GrowthSummit", "Events", "", "", None)
        threads.append((sponsor, [(start + timedelta(days=200), False, SPONSORED)], "sponsored"))
    cv = Person("Mateo", "Garcia-Lindqvist", "https://www.linkedin.com/in/mateo-gl-77", "Greenfield Logistics",
                start + timedelta(days=10))
    people.append(cv)
    t = cv.connected + timedelta(days=5)
    text = "Hi Mateo, thanks for connecting. Your post on warehouse robotics pilots was great; what broke first?"
    long_thread = [(t, True, text), (t + timedelta(days=1), False, CV)]
    truth.sent.append({"partner": cv.name, "text": text, "stage": "post-connection", "sequence_step": 1,
                       "replied": False, "date": t})
    later = t + timedelta(days=800)  # the same person, years later
    text2 = "Hi Mateo, it's been a while! Congrats on the new role. How is the Rotterdam site going?"
    long_thread.append((later, True, text2))
    truth.sent.append({"partner": cv.name, "text": text2, "stage": "reply", "sequence_step": 2, "replied": True,
                       "date": later})
    threads.append((cv, long_thread, "draft" if era == "2026" else None))


def _connections(people, era, rng, resaved, edge_cases) -> str:
    out = io.StringIO()
    if era in CONN_PREAMBLE:
        out.write(CONN_PREAMBLE[era])
    with_url = era >= "2024"
    header = ["First Name", "Last Name"] + (["URL"] if with_url else []) + \
             ["Email Address", "Company", "Position", "Connected On"]
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    connected = sorted((p for p in people if p.connected), key=lambda p: p.connected, reverse=True)
    for n, p in enumerate(connected):
        email = f"{p.first.lower()}@example.com" if (era == "2018" or n % 9 == 0) else ""
        row = [p.first, p.last] + ([p.url] if with_url else []) + [email, p.company, "Director", _conn_date(
            p.connected, era, resaved)]
        w.writerow(row)
        if edge_cases and n == 2:  # a hidden or closed profile
            w.writerow([""] * (len(header) - 1) + [_conn_date(p.connected, era, resaved)])
    return out.getvalue()


def _conn_date(when: datetime, era: str, resaved: bool) -> str:
    if era == "2018":
        return _us(when)
    if resaved:
        return f"{when.day}-{when.strftime('%b')}-{when.strftime('%y')}"
    return when.strftime("%d %b %Y")


def _us(when: datetime) -> str:
    return f"{when.month}/{when.day}/{when.strftime('%y')}, {when.strftime('%I:%M %p').lstrip('0')}"


def _header_only(era: str) -> str:
    return _messages([], era, random.Random(0), False)


def _messages(threads, era, rng, shuffle_rows) -> str:
    out = io.StringIO()
    owner, owner_url = f"{OWNER[0]} {OWNER[1]}", OWNER[2]
    if era == "2018":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["From", "To", "Date", "Subject", "Content", "Direction", "Folder"])
        rows = []
        for person, msgs, special in threads:
            for when, mine, text in msgs:
                body = text.replace("'", "&rsquo;").replace(". ", ".&nbsp; ", 1)
                rows.append((when, [owner if mine else person.name, person.name if mine else owner, _us(when),
                                    "", body, "OUTGOING" if mine else "INCOMING", "INBOX"]))
        promo = datetime(2018, 5, 2, 8, 0)
        rows.append((promo, ["Angela from LinkedIn", owner, _us(promo), "Tips",
                             "Hi Sam, here are 3 ways to get more out of LinkedIn&nbsp;Premium.", "INCOMING",
                             "INBOX"]))
        rows.sort(key=lambda r: r[0], reverse=True)
        if shuffle_rows:
            rng.shuffle(rows)
        w.writerows(r for _, r in rows)
        return out.getvalue()
    cols = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO"]
    if era >= "2024":
        cols.append("RECIPIENT PROFILE URLS")
    cols += ["DATE", "SUBJECT", "CONTENT", "FOLDER"]
    if era >= "2026":
        cols += ["ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL if era >= "2024" else csv.QUOTE_MINIMAL)
    w.writerow(cols)
    rows = []
    for n, (person, msgs, special) in enumerate(threads):
        conv = f"2-{rng.getrandbits(64):016x}{n:04d}=="
        title = "" if n % 5 else f"{person.first} and {OWNER[0]}"
        for k, (when, mine, text) in enumerate(msgs):
            if era >= "2026" and "\n" in text:
                text = text.replace("\n", "\r\n")
            sender = owner if mine else person.name
            sender_url = "" if special == "sponsored" or person.first == "LinkedIn" else (owner_url if mine
                                                                                          else person.url)
            to = person.name if mine else owner
            to_url = person.url if mine else owner_url
            row = {"CONVERSATION ID": conv, "CONVERSATION TITLE": title, "FROM": sender,
                   "SENDER PROFILE URL": sender_url, "TO": to, "RECIPIENT PROFILE URLS": to_url,
                   "DATE": when.strftime("%Y-%m-%d %H:%M:%S UTC"), "SUBJECT": "", "CONTENT": text,
                   "FOLDER": "INBOX" if k % 7 else ("ARCHIVE" if n % 3 == 0 else "INBOX"),
                   "ATTACHMENTS": "", "IS MESSAGE DRAFT": "FALSE", "IS CONVERSATION DRAFT": "FALSE"}
            rows.append((n, when, [row[c] for c in cols]))
        if special == "draft" and era >= "2026":  # an unsent draft: never linted as sent
            when = msgs[-1][0] + timedelta(days=1)
            row = {c: "" for c in cols} | {"CONVERSATION ID": conv, "FROM": owner, "SENDER PROFILE URL": owner_url,
                                          "TO": person.name, "RECIPIENT PROFILE URLS": person.url,
                                          "DATE": when.strftime("%Y-%m-%d %H:%M:%S UTC"), "FOLDER": "INBOX",
                                          "CONTENT": "Hi Mateo, quick one: are you free for a demo?",
                                          "IS MESSAGE DRAFT": "TRUE", "IS CONVERSATION DRAFT": "FALSE"}
            rows.append((n, when, [row[c] for c in cols]))
    order = list(range(len(threads)))
    rng.shuffle(order)
    rank = {n: r for r, n in enumerate(order)}
    rows.sort(key=lambda r: (rank[r[0]], -r[1].timestamp()))  # by conversation, newest first (as LinkedIn)
    if shuffle_rows:
        rng.shuffle(rows)
    w.writerows(r for _, _, r in rows)
    return out.getvalue()


def _invitations(invitations, era) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    urls = era >= "2024"
    w.writerow(["From", "To", "Sent At", "Message", "Direction"] + (["inviterProfileUrl", "inviteeProfileUrl"]
                                                                   if urls else []))
    owner = f"{OWNER[0]} {OWNER[1]}"
    for direction, p, when, note in sorted(invitations, key=lambda x: x[2], reverse=True):
        mine = direction == "OUTGOING"
        row = [owner if mine else p.name, p.name if mine else owner, _us(when), note, direction]
        if urls:
            row += [OWNER[2] if mine else p.url, p.url if mine else OWNER[2]]
        w.writerow(row)
    return out.getvalue()


def _write(out: Path, files: dict[str, str], folder: bool, resaved: bool) -> None:
    def encode(name: str, text: str) -> bytes:
        if resaved and name == "Connections.csv":  # re-saved in a spreadsheet: BOM and CRLF
            return ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
        return text.encode("utf-8")

    if folder:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_bytes(encode(name, text))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, encode(name, text))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--era", choices=ERAS, default="2024")
    ap.add_argument("--conversations", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--resaved", action="store_true")
    ap.add_argument("--folder", action="store_true")
    ap.add_argument("--distinct-texts", type=int, default=None)
    a = ap.parse_args()
    truth = generate(a.out, a.era, a.conversations, a.seed, a.resaved, a.folder, distinct_texts=a.distinct_texts)
    print(f"wrote {a.out}: {truth.conversations} conversations, {truth.messages} messages, "
          f"{len(truth.sent)} sent by {truth.owner}")



def write_transcripts(out: Path, transcripts: str, owner: str = "Sam Rivera") -> None:
    """A 2024-era export folder from thread transcripts (the rule catalogue's `thread` examples): threads
    separated by a `---` line, each a `connected YYYY-MM-DD` line (optional) and `YYYY-MM-DD HH:MM me|them: text`
    lines (a line without that prefix continues the message before it)."""
    import re

    line_re = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d) (me|them): (.*)$")
    out.mkdir(parents=True, exist_ok=True)
    owner_url = OWNER[2]
    conns, rows = [], []
    for n, block in enumerate(transcripts.split("\n---\n")):
        first, last = FIRST[n % len(FIRST)], f"Example{n}"
        url = f"https://www.linkedin.com/in/{first.lower()}-example-{n}"
        msgs: list[list] = []
        for line in block.splitlines():
            if line.startswith("connected "):
                day = datetime.strptime(line.split()[1], "%Y-%m-%d")
                conns.append([first, last, url, "", "Example Co", "Director", day.strftime("%d %b %Y")])
                continue
            m = line_re.match(line)
            if m:
                msgs.append([m.group(1), m.group(2) == "me", m.group(3)])
            elif msgs:
                msgs[-1][2] += "\n" + line
        for when, mine, text in msgs:
            rows.append([f"conv-{n}", "", owner if mine else f"{first} {last}", owner_url if mine else url,
                         f"{first} {last}" if mine else owner, url if mine else owner_url, f"{when}:00 UTC", "",
                         text, "INBOX"])
    buf = io.StringIO()
    buf.write(CONN_PREAMBLE["2024"])
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    w.writerows(conns)
    (out / "Connections.csv").write_text(buf.getvalue(), encoding="utf-8")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"])
    w.writerows(reversed(rows))
    (out / "messages.csv").write_text(buf.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
