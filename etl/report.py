"""Parse the 100-Day Plan Report's text into initiatives, milestones, paragraphs and quality issues.

Everything here is a pure function of the text. Line numbers are 1-based lines of the source
file, so that every value can be traced back to the line it came from.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from etl.dates import DATE_TOKEN, ParsedDate, parse_cell, parse_completion, quarter_bounds

PHASES = ("LEARN", "ASSESS", "COMMUNICATE", "ACT")
QUARTER_GLYPH = "\uf06c"  # a filled circle in one quarter column of a milestone's Gantt row
BULLET_GLYPHS = ("\uf06e", "•")  # square bullets, and the few round ones

FOOTER = re.compile(r"^\s*Los Angeles Unified School District \| 100-Day Plan Report\s*$")
PHASE_HEAD = re.compile(r"^\s*(LEARN|ASSESS|COMMUNICATE|ACT)\s*\|\s*(.*?)\s*$")
BARE_PHASE = re.compile(r"^\s*(LEARN|ASSESS|COMMUNICATE|ACT)(?:\s+\d{1,3})?\s*$")
LINK = re.compile(r"^\s*https?://\S+\s*$")
OBJECTIVE = re.compile(r"^\s*OBJECTIVE\b\s*(.*?)\s*$")
STATUS = re.compile(r"^\s*STATUS\b\s*(.*?)\s*$")
NARRATIVE = re.compile(r"^\s*NARRATIVE\b\s*(.*?)\s*$")
PLAN_YEARS = re.compile(r"^\s*IMPLEMENTATION PLAN((?:\s+\d{4})*)\s*$")
TABLE_HEADER = re.compile(
    r"^\s*MAJOR MILESTONES(?:\s*\((?P<kind>[^)]*)\))?\s+START\s+END(?P<quarters>(?:\s+Q[1-4])+)\s*$"
)
ROW_END = re.compile(
    rf"^(?P<text>.*?)\s*(?P<start>{DATE_TOKEN})\s+(?P<end>{DATE_TOKEN})(?P<marks>[\s{QUARTER_GLYPH}]*)$"
)
ACTION_LIST = re.compile(r"^\s*Within 100 days, the following actions were taken:\s*$")
PLAN_LIST = re.compile(r"^\s*Within 100 days, written plans were developed to address")
GLUED_PAGE_NUMBER = re.compile(r"(?<=[A-Za-z)])\s*(\d{1,3})$")

# A start this long before the plan period's first quarter is flagged, not corrected.
EARLY_START = timedelta(days=365)

DELIVERABLES = {"action": "action taken", "plan": "written plan"}


@dataclass
class QualityIssue:
    record_table: str
    record_id: str | None
    field: str
    raw_value: str | None
    problem: str
    action: str
    source_line: int | None
    severity: str = "warning"


@dataclass
class Milestone:
    milestone_id: str
    initiative_id: str
    seq: int
    description: str
    start_text: str | None
    end_text: str | None
    start_date: date | None
    end_date: date | None
    is_ongoing: bool
    quarter_markers: int
    source_line: int
    table_kind: str | None
    dates_line: int | None = None


@dataclass
class Paragraph:
    initiative_id: str | None
    part: str
    seq: int
    text: str
    source_line: int


@dataclass
class Section:
    initiative_id: str
    phase: str
    title: str
    source_line: int
    status: str | None = None
    status_text: str | None = None
    estimated_completion: date | None = None
    completion_precision: str | None = None
    deliverable: str | None = None
    objective: str = ""
    narrative: str = ""
    source_url: str | None = None
    plan_start: date | None = None
    plan_end: date | None = None
    quarter_columns: str | None = None
    milestones: list[Milestone] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    printed_lines: list[int] = field(default_factory=list)


@dataclass
class Report:
    sections: list[Section]
    issues: list[QualityIssue]
    letter: list[Paragraph]
    line_count: int

    @property
    def milestones(self) -> list[Milestone]:
        return [m for s in self.sections for m in s.milestones]


class NoSectionsError(ValueError):
    """The text holds no section of the report."""


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def slug(*parts: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower())
    return words.strip("-")


def join_wrapped(lines: list[str]) -> str:
    """Join a paragraph's wrapped lines; a line ending in '-' or '/' was split inside a word."""
    joined = ""
    for raw in lines:
        line = normalise_space(raw)
        if not line:
            continue
        if joined.endswith(("-", "/")) and joined[-2:-1].isalnum():
            joined += line
        else:
            joined = f"{joined} {line}" if joined else line
    return joined


def is_furniture(line: str) -> bool:
    """Running page heads and footers, which the PDF repeats on every page."""
    return bool(FOOTER.match(line) or PHASE_HEAD.match(line) or BARE_PHASE.match(line))


# --- sections ------------------------------------------------------------------------------


def find_headings(lines: list[str], issues: list[QualityIssue]) -> list[tuple[int, str, str]]:
    """(heading index, phase, title) of every printed section, in order.

    A heading is the `PHASE | title` line nearest above an OBJECTIVE line; the lines between
    are the rest of a wrapped title. Running page heads look the same but no OBJECTIVE follows.
    """
    headings = []
    for index, line in enumerate(lines):
        if not OBJECTIVE.match(line):
            continue
        continuation: list[str] = []
        cursor = index - 1
        while cursor >= 0 and len(continuation) <= 3:
            above = lines[cursor]
            head, bare = PHASE_HEAD.match(above), BARE_PHASE.match(above)
            if head or bare:
                break
            if above.strip() and not FOOTER.match(above):
                continuation.insert(0, above)
            cursor -= 1
        else:
            issues.append(
                QualityIssue(
                    "initiatives",
                    None,
                    "title",
                    lines[index].strip()[:200],
                    "OBJECTIVE without a PHASE | title heading above it",
                    "skipped this section",
                    index + 1,
                )
            )
            continue

        if head:
            phase, title = head.group(1), join_wrapped([head.group(2), *continuation])
        else:
            phase, title = bare.group(1), bare.group(1)
        glued = GLUED_PAGE_NUMBER.search(title)
        if glued and head and not re.search(r"\d{4}$", title):
            issues.append(
                QualityIssue(
                    "initiatives",
                    None,
                    "title",
                    title,
                    "page number glued to the title",
                    "removed the page number",
                    cursor + 1,
                )
            )
            title = title[: glued.start()].rstrip()
        headings.append((cursor, phase, title))
    return headings


def parse(text: str) -> Report:
    """The whole report: its sections, deduplicated, with their milestones and quality issues."""
    issues: list[QualityIssue] = []
    lines = text.split("\n")
    headings = find_headings(lines, issues)
    if not headings:
        raise NoSectionsError(
            "no section of the report was recognised (no 'PHASE | title' "
            "heading followed by OBJECTIVE)"
        )

    known_titles = {(phase, title.lower()) for _, phase, title in headings}
    printed = []
    for number, (start, phase, title) in enumerate(headings):
        stop = headings[number + 1][0] if number + 1 < len(headings) else len(lines)
        body = drop_running_heads(lines, start + 1, stop, phase, known_titles)
        printed.append(parse_section(lines, start, body, phase, title, issues))

    assign_source_urls(printed, issues)
    sections = deduplicate(printed, issues)
    assign_deliverables(lines, headings[0][0], sections, issues)
    letter = parse_letter(lines, headings[0][0])
    return Report(sections, issues, letter, len(lines))


def drop_running_heads(
    lines: list[str], start: int, stop: int, phase: str, known_titles: set[tuple[str, str]]
) -> list[int]:
    """Indexes of a section's own lines, without page heads, footers or a head's wrapped tail."""
    kept = []
    skip_until = -1
    for index in range(start, stop):
        if index <= skip_until:
            continue
        line = lines[index]
        head = PHASE_HEAD.match(line)
        if head:
            skip_until = wrapped_head_end(lines, index, stop, head, known_titles)
            continue
        if FOOTER.match(line) or BARE_PHASE.match(line):
            continue
        kept.append(index)
    return kept


def wrapped_head_end(lines, index, stop, head, known_titles) -> int:
    """A running head may wrap like a title does; return the index of its last line."""
    partial = normalise_space(head.group(2)).lower()
    if (head.group(1), partial) in known_titles:
        return index
    cursor = index + 1
    while cursor < stop and not lines[cursor].strip():
        cursor += 1
    if cursor < stop:
        extended = normalise_space(f"{partial} {lines[cursor]}").lower()
        if (head.group(1), extended) in known_titles:
            return cursor
    return index


def parse_section(lines, heading, body, phase, title, issues) -> Section:
    section = Section(slug(phase, title), phase, title, heading + 1, printed_lines=[heading + 1])
    marks = {
        name: next((i for i in body if pattern.match(lines[i])), None)
        for name, pattern in (
            ("objective", OBJECTIVE),
            ("status", STATUS),
            ("narrative", NARRATIVE),
            ("plan", PLAN_YEARS),
            ("table", TABLE_HEADER),
        )
    }
    end = body[-1] + 1 if body else heading + 1

    def between(first, *candidates) -> list[int]:
        after = [c for c in candidates if c is not None and c > first] + [end]
        return [i for i in body if first < i < min(after)]

    objective_at = marks["objective"]
    objective_lines = [OBJECTIVE.match(lines[objective_at]).group(1)]
    wrapped = between(objective_at, marks["status"], marks["narrative"])
    objective_lines += [lines[i] for i in wrapped]
    section.objective = join_wrapped(objective_lines)
    section.paragraphs.append(
        Paragraph(section.initiative_id, "objective", 0, section.objective, objective_at + 1)
    )

    if marks["status"] is None:
        issues.append(
            QualityIssue(
                "initiatives",
                section.initiative_id,
                "status",
                None,
                "no STATUS line",
                "left the status empty",
                heading + 1,
            )
        )
    else:
        read_status(section, lines[marks["status"]], marks["status"] + 1, issues)

    content_end = min(c for c in (marks["plan"], marks["table"], end) if c is not None)
    if marks["narrative"] is not None:
        narrative_lines = [i for i in body if marks["narrative"] < i < content_end]
        read_narrative(section, lines, narrative_lines, issues)
    else:
        issues.append(
            QualityIssue(
                "initiatives",
                section.initiative_id,
                "narrative",
                None,
                "no NARRATIVE heading",
                "left the narrative empty",
                heading + 1,
            )
        )

    if marks["table"] is not None:
        read_table(section, lines, marks["plan"], marks["table"], body, issues)
    section.links += [
        normalise_space(lines[i]) for i in body if LINK.match(lines[i]) and i >= content_end
    ]
    return section


def read_status(section: Section, line: str, line_number: int, issues) -> None:
    text = STATUS.match(line).group(1)
    section.status_text = text
    if re.match(r"completed\b", text, re.IGNORECASE):
        section.status = "Completed"
    elif re.match(r"in[-\s]progress\b", text, re.IGNORECASE):
        section.status = "In Progress"
    else:
        issues.append(
            QualityIssue(
                "initiatives",
                section.initiative_id,
                "status",
                text,
                "status is neither Completed nor In Progress",
                "left the status empty",
                line_number,
            )
        )
    section.estimated_completion, section.completion_precision = parse_completion(text)


def read_narrative(section: Section, lines: list[str], indexes: list[int], issues) -> None:
    """Group the narrative's lines into paragraphs and drop what the PDF left among them."""
    paragraphs: list[list[int]] = []
    previous = None
    for index in indexes:
        line = lines[index]
        is_link = LINK.match(line) and not (previous is not None and lines[previous].strip())
        if is_link:
            section.links.append(line.strip())
            previous = None
            continue
        if not line.strip():
            previous = None
            continue
        starts_bullet = line.strip().startswith(BULLET_GLYPHS)
        if previous is None or index != previous + 1 or starts_bullet or not paragraphs:
            paragraphs.append([index])
        else:
            paragraphs[-1].append(index)
        previous = index

    kept = merge_broken_paragraphs(lines, drop_chart_residue(section, lines, paragraphs, issues))
    for seq, paragraph in enumerate(kept, start=1):
        text = join_wrapped([lines[i] for i in paragraph])
        for glyph in BULLET_GLYPHS:
            if text.startswith(glyph):
                text = "• " + text[len(glyph) :].strip()
        section.paragraphs.append(
            Paragraph(section.initiative_id, "narrative", seq, text, paragraph[0] + 1)
        )
    section.narrative = "\n\n".join(p.text for p in section.paragraphs if p.part == "narrative")


def merge_broken_paragraphs(lines, paragraphs: list[list[int]]) -> list[list[int]]:
    """Rejoin a sentence that a page layout split with a blank line ("September-" / "December")."""
    merged: list[list[int]] = []
    for paragraph in paragraphs:
        if merged:
            tail = lines[merged[-1][-1]].rstrip()
            head = lines[paragraph[0]].strip()
            broken_word = tail.endswith("-") and tail[-2:-1].isalpha()
            broken_sentence = head[:1].islower() and not tail.endswith((".", ":", "!", "?"))
            if broken_word or broken_sentence:
                merged[-1] = merged[-1] + paragraph
                continue
        merged.append(paragraph)
    return merged


def drop_chart_residue(section, lines, paragraphs, issues) -> list[list[int]]:
    """Remove chart ticks, stray page numbers and stray glyphs from a narrative.

    A chart in the PDF leaves its axis ticks and captions as short lines with no sentence; a run
    of one-line paragraphs holding a bare number is taken as such a chart.
    """

    def one_line(paragraph):
        return len(paragraph) == 1

    def bare_number(paragraph):
        return one_line(paragraph) and re.fullmatch(r"\s*[\d,.]+\s*", lines[paragraph[0]])

    def stray(paragraph):
        return one_line(paragraph) and not re.search(r"[A-Za-z0-9]", lines[paragraph[0]])

    kept, chart = [], []
    for position, paragraph in enumerate(paragraphs):
        if stray(paragraph):
            issues.append(
                QualityIssue(
                    "initiatives",
                    section.initiative_id,
                    "narrative",
                    lines[paragraph[0]].strip(),
                    "stray character between paragraphs",
                    "removed from the narrative",
                    paragraph[0] + 1,
                    severity="info",
                )
            )
            continue
        in_chart_run = one_line(paragraph) and any(
            bare_number(p) for p in run_of_one_liners(paragraphs, position)
        )
        (chart if in_chart_run and not lines[paragraph[0]].rstrip().endswith(".") else kept).append(
            paragraph
        )
    if chart:
        text = " | ".join(lines[p[0]].strip() for p in chart)
        issues.append(
            QualityIssue(
                "initiatives",
                section.initiative_id,
                "narrative",
                text,
                "text of a chart whose numbers are not in the extraction",
                "removed from the narrative",
                chart[0][0] + 1,
            )
        )
    return kept


def run_of_one_liners(paragraphs, position):
    start = position
    while start > 0 and len(paragraphs[start - 1]) == 1:
        start -= 1
    stop = position
    while stop + 1 < len(paragraphs) and len(paragraphs[stop + 1]) == 1:
        stop += 1
    return paragraphs[start : stop + 1]


# --- milestone tables ------------------------------------------------------------------------


def table_quarters(plan_line: str | None, header: re.Match, section, line_number, issues):
    """The calendar quarter of each Gantt column: `2022 2023` with Q3 Q4 Q1 Q2 is 2022 Q3 on."""
    years = [int(y) for y in (plan_line or "").split()]
    if not years:
        issues.append(
            QualityIssue(
                "initiatives",
                section.initiative_id,
                "quarter_columns",
                None,
                "no years on the IMPLEMENTATION PLAN line",
                "assumed the report's year, 2022",
                line_number,
            )
        )
        years = [2022]
    year, previous, quarters = years[0], None, []
    for quarter in (int(q) for q in re.findall(r"Q([1-4])", header.group("quarters"))):
        if previous is not None and quarter <= previous:
            year += 1
        quarters.append((year, quarter))
        previous = quarter
    return quarters


def read_table(section, lines, plan_at, header_at, body, issues) -> None:
    header = TABLE_HEADER.match(lines[header_at])
    plan_years = PLAN_YEARS.match(lines[plan_at]).group(1) if plan_at is not None else None
    quarters = table_quarters(plan_years, header, section, header_at + 1, issues)
    section.plan_start = quarter_bounds(*quarters[0])[0]
    section.plan_end = quarter_bounds(*quarters[-1])[1]
    section.quarter_columns = ",".join(f"{y}Q{q}" for y, q in quarters)

    pending: list[int] = []
    for index in (i for i in body if i > header_at):
        line = lines[index]
        if not line.strip() or LINK.match(line):
            continue
        row = ROW_END.match(line.strip())
        if not row:
            pending.append(index)
            continue
        text_lines = [lines[i] for i in pending] + [row.group("text")]
        first_line = (pending[0] if pending else index) + 1
        add_milestone(
            section,
            join_wrapped(text_lines),
            row,
            (first_line, index + 1),
            kind=header.group("kind"),
            quarters=quarters,
            issues=issues,
        )
        pending = []

    if pending:
        add_undated(section, lines, pending, header.group("kind"), issues)


def add_undated(section, lines, pending, kind, issues) -> None:
    """Milestone text with no dates after it, as in a report cut off inside a table."""
    description = join_wrapped([lines[i] for i in pending])
    milestone = Milestone(
        f"{section.initiative_id}--{len(section.milestones) + 1:02d}",
        section.initiative_id,
        len(section.milestones) + 1,
        description,
        None,
        None,
        None,
        None,
        False,
        0,
        pending[0] + 1,
        kind,
    )
    section.milestones.append(milestone)
    issues.append(
        QualityIssue(
            "milestones",
            milestone.milestone_id,
            "start_text",
            description,
            "milestone text with no START and END after it",
            "loaded with no dates",
            pending[0] + 1,
        )
    )


def add_milestone(section, description, row, line_numbers, kind, quarters, issues) -> None:
    """One dated row; its problems point at the line its dates are printed on."""
    line_number, dates_line = line_numbers
    seq = len(section.milestones) + 1
    milestone_id = f"{section.initiative_id}--{seq:02d}"
    start = parse_cell(row.group("start"), "start")
    end = parse_cell(row.group("end"), "end")
    milestone = Milestone(
        milestone_id,
        section.initiative_id,
        seq,
        description,
        row.group("start"),
        row.group("end"),
        start.value,
        end.value,
        start.is_ongoing or end.is_ongoing,
        row.group("marks").count(QUARTER_GLYPH),
        line_number,
        kind,
        dates_line,
    )
    section.milestones.append(milestone)

    def flag(field_name, raw, problem, action, severity="warning"):
        issues.append(
            QualityIssue(
                "milestones", milestone_id, field_name, raw, problem, action, dates_line, severity
            )
        )

    if not description:
        flag("description", None, "dates with no milestone text", "loaded with no description")
    for name, parsed in (("start_text", start), ("end_text", end)):
        if parsed.problem:
            flag(name, row.group(name.split("_")[0]), parsed.problem, parsed.action)
    check_dates(milestone, start, end, quarters, flag)


def check_dates(milestone: Milestone, start: ParsedDate, end: ParsedDate, quarters, flag) -> None:
    plan_start = quarter_bounds(*quarters[0])[0]
    if start.value and end.value and end.value < start.value:
        flag("end_date", milestone.end_text, "ends before it starts", "kept both dates as printed")
    if start.value and start.value < plan_start - EARLY_START:
        flag(
            "start_date",
            milestone.start_text,
            f"starts long before the plan period (which opens {plan_start.isoformat()})",
            "kept the date as printed",
        )

    expected = expected_markers(start, end, quarters)
    if expected is not None and expected != milestone.quarter_markers:
        markers = milestone.quarter_markers
        flag(
            "quarter_markers",
            str(markers),
            f"{markers} quarter marker{'' if markers == 1 else 's'}, but its dates span "
            f"{expected} of the table's {len(quarters)} quarter columns",
            "kept the dates and the marker count as printed",
        )


def expected_markers(start: ParsedDate, end: ParsedDate, quarters) -> int | None:
    """How many of the table's quarter columns the dates cover; None when they say nothing."""
    if start.value is None and not start.is_ongoing:
        return None
    if end.value is None and not end.is_ongoing:
        return None
    first = start.value or quarter_bounds(*quarters[0])[0]
    last = end.value or quarter_bounds(*quarters[-1])[1]
    if end.value and last.day == 1 and last.month in (1, 4, 7, 10) and first < last:
        # The report ends many milestones on a quarter's first day (9/01/22 to 1/01/23) and
        # leaves that quarter's column empty: the end reads as "by", not "into", the quarter.
        last -= timedelta(days=1)
    covered = 0
    for year, quarter in quarters:
        opens, closes = quarter_bounds(year, quarter)
        if first <= closes and last >= opens:
            covered += 1
    return covered


# --- across sections -------------------------------------------------------------------------


def assign_source_urls(sections: list[Section], issues) -> None:
    """A section's own PDF is the first link after it that no earlier section has claimed.

    Page breaks leave the previous section's link behind the next one's text, so a link that an
    earlier section already holds is taken only when nothing else is there.
    """
    claimed: set[str] = set()
    for section in sections:
        pdfs = [link for link in section.links if link.lower().endswith(".pdf")]
        fresh = [link for link in pdfs if link not in claimed]
        others = [link for link in section.links if link not in pdfs]
        choice = (fresh or pdfs or others or [None])[0]
        section.source_url = choice
        if choice is None:
            issues.append(
                QualityIssue(
                    "initiatives",
                    section.initiative_id,
                    "source_url",
                    None,
                    "no link follows the section's text",
                    "left the source link empty",
                    section.source_line,
                    severity="info",
                )
            )
        claimed.update(pdfs[:1] if not fresh else fresh[:1])


def deduplicate(printed: list[Section], issues: list[QualityIssue]) -> list[Section]:
    """Keep the first printing of a section that the report prints twice, and say so.

    Issues found inside an identical second printing repeat those of the first and are dropped.
    """
    kept: dict[tuple[str, str], Section] = {}
    repeated: list[range] = []
    for number, section in enumerate(printed):
        key = (section.phase, section.title.lower())
        first = kept.get(key)
        if first is None:
            kept[key] = section
            continue
        first.printed_lines.append(section.source_line)
        differs = [
            name
            for name in ("objective", "status_text", "narrative")
            if getattr(first, name) != getattr(section, name)
        ]
        if [m.description for m in first.milestones] != [m.description for m in section.milestones]:
            differs.append("milestones")
        problem = "section printed twice" + (
            f"; the copies differ in {', '.join(differs)}" if differs else ", identically"
        )
        issues.append(
            QualityIssue(
                "initiatives",
                first.initiative_id,
                "source_line",
                str(section.source_line),
                problem,
                f"kept the first printing (line {first.source_line}), dropped this one",
                section.source_line,
                severity="warning" if differs else "info",
            )
        )
        if first.source_url is None and section.source_url:
            first.source_url = section.source_url
        if not differs:
            following = printed[number + 1].source_line if number + 1 < len(printed) else None
            repeated.append(range(section.source_line, following or 10**12))
    in_repeated = covered_by(repeated)
    issues[:] = [
        issue
        for issue in issues
        if issue.problem.startswith("section printed twice")
        or issue.source_line is None
        or not in_repeated(issue.source_line)
    ]
    return list(kept.values())


def covered_by(spans: list[range]):
    """A test of whether a line falls in one of spans, which are sorted and do not overlap.

    Each span runs from one printing to the next, so a binary search finds the only candidate;
    checking every span for every issue grew with the square of the report's length.
    """
    starts = [span.start for span in spans]

    def covers(line: int) -> bool:
        candidate = bisect.bisect_right(starts, line) - 1
        return candidate >= 0 and line in spans[candidate]

    return covers


def read_list(lines: list[str], start: int, stop: int) -> list[tuple[str, int]]:
    """The items of one of the report's opening lists: blank-separated, possibly wrapped."""
    items, current, first_line = [], [], None
    for index in range(start, stop):
        line = lines[index]
        if line.strip() and not (ACTION_LIST.match(line) or PLAN_LIST.match(line)):
            if not current:
                first_line = index + 1
            current.append(line)
        elif current:
            items.append((join_wrapped(current), first_line))
            current = []
    if current:
        items.append((join_wrapped(current), first_line))
    return [(text, line) for text, line in items if not BARE_PHASE.match(text)]


def base_title(title: str) -> str:
    return normalise_space(re.sub(r"\([^)]*\)", " ", title)).lower()


def assign_deliverables(lines, first_heading: int, sections: list[Section], issues) -> None:
    """ACT sections are either actions taken or written plans, by the report's opening lists."""
    action_at = next((i for i in range(first_heading) if ACTION_LIST.match(lines[i])), None)
    plan_at = next((i for i in range(first_heading) if PLAN_LIST.match(lines[i])), None)
    if action_at is None or plan_at is None:
        issues.append(
            QualityIssue(
                "initiatives",
                None,
                "deliverable",
                None,
                "the opening lists of actions and plans were not found",
                "left every deliverable empty",
                None,
            )
        )
        return

    listed: dict[str, tuple[str, int]] = {}
    for kind, start, stop in (("action", action_at, plan_at), ("plan", plan_at, first_heading)):
        for text, line in read_list(lines, start, stop):
            listed[base_title(text)] = (DELIVERABLES[kind], line)

    matched = set()
    for section in sections:
        if section.phase != "ACT":
            continue
        found = listed.get(base_title(section.title))
        if found:
            section.deliverable = found[0]
            matched.add(base_title(section.title))
        else:
            issues.append(
                QualityIssue(
                    "initiatives",
                    section.initiative_id,
                    "deliverable",
                    None,
                    "ACT section in neither opening list",
                    "left the deliverable empty",
                    section.source_line,
                )
            )
    for title, (kind, line) in listed.items():
        if title not in matched:
            issues.append(
                QualityIssue(
                    "initiatives",
                    None,
                    "deliverable",
                    title,
                    f"listed as {kind} but no section has this title",
                    "ignored the list item",
                    line,
                )
            )


def parse_letter(lines: list[str], first_heading: int) -> list[Paragraph]:
    """The superintendent's opening letter, paragraph by paragraph, for its figures."""
    start = next(
        (i for i, line in enumerate(lines[:first_heading]) if line.strip().startswith("Dear ")),
        None,
    )
    stop = next((i for i in range(first_heading) if ACTION_LIST.match(lines[i])), first_heading)
    if start is None:
        return []
    paragraphs, current = [], []
    for index in range(start + 1, stop):
        if lines[index].strip():
            current.append(index)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return [
        Paragraph(None, "letter", seq, join_wrapped([lines[i] for i in lines_of]), lines_of[0] + 1)
        for seq, lines_of in enumerate(paragraphs, start=1)
        if len(lines_of) > 1 or len(lines[lines_of[0]].split()) > 6
    ]
