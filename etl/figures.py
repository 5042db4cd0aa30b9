"""Find every figure the report's prose quotes: the number, its unit, qualifier and sentence.

Pure functions of the parsed report and its text. The curated catalogue of headline metrics
(data/reference/metrics.csv) is joined to what was found; a catalogue quote that the report no
longer holds stops the build, so a headline number can never silently go missing.
"""

from __future__ import annotations

import ast
import csv
import io
import operator
import re
from dataclasses import dataclass
from pathlib import Path

from etl.report import BULLET_GLYPHS, Report, normalise_space
from etl.source import InputError

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "reference" / "metrics.csv"
CATEGORIES = (
    "staffing",
    "engagement",
    "enrollment",
    "programmes",
    "finance",
    "facilities",
    "health",
    "other",
)

WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}
# "one" is left out: the report uses it only in "one-on-one", "one and done", "one-time" and
# "one subset", never as a count worth a row.
WORD = "|".join(WORDS)
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}

FIGURE = re.compile(
    rf"""
    (?P<dollar>\$)?
    (?: (?P<low>{DIGITS}) (?: \s?[-–]\s? \$?(?P<high>{DIGITS}) )?
      | (?P<word>\b(?:{WORD})\b) (?P<dozen>\s+dozen\b)?
      | (?P<half>\bhalf\b) )
    (?P<percent>\s?%)?
    (?: \s+ (?P<scale>thousand|million|billion)\b )?
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Spans of the text whose digits are not figures, each with the reason, checked in this order.
NOT_FIGURES = [
    ("link", re.compile(r"https?://\s?\S+|\b[\w.-]+\.(?:net|org|com|gov|edu)\S*")),
    (
        "date",
        re.compile(
            r"\b(?:January|February|March|April|May|June|July|August|September|October|"
            r"November|December)\s+\d{1,2}\b(?:\s+and\s+\d{1,2})?(?:,\s*\d{4})?"
        ),
    ),
    # A school year (2022-23, 2016−17, 2022-2023), a plan span (2022-26) or a bare year.
    # No count in the report is a bare 19xx or 20xx without a thousands comma.
    ("year", re.compile(r"(?<![\d,.$])(?:19|20)\d{2}(?:\s?[-–−]\s?(?:\d{4}|\d{2}))?(?!\d|,\d|%)")),
    ("page number", re.compile(r"\b(?:page|p\.)\s*\d+", re.IGNORECASE)),
    ("law number", re.compile(r"\b(?:SB|AB|HR)\s?\d+\b")),
    # Codes with digits: COVID-19, K-12, TK-12, K-1, 24/7, 21st, 100-Day Plan, MERV 13 filters.
    ("code", re.compile(r"\b[A-Za-z]+-?\d+\b|\d+/\d+|\b\d+(?:st|nd|rd|th)\b|\b\d+-Day\b")),
    ("designation", re.compile(r"\b(?:MERV|Cohort|Phase|Tier)\s+\d+\b")),
    ("compound", re.compile(r"\b(?:two|one)-(?:way|on-one)\b", re.IGNORECASE)),
]
# The number of a numbered list item: "1) Short-term ...", "7 Restart Breakfast ...".
LIST_MARKER = re.compile(r"^(?:•\s*)?\d{1,2}\)?\s+(?=\D)")

QUALIFIER_BEFORE = re.compile(
    r"\b(nearly|almost|over|more than|approximately|about|around|roughly|up to|above|"
    r"at least|fewer than|less than|under|within|an estimated)\s+$",
    re.IGNORECASE,
)
QUALIFIER_AFTER = re.compile(r"^\s+(or (?:fewer|less|more))\b", re.IGNORECASE)
POSTFIX_QUALIFIERS = ("or fewer", "or less", "or more")

UNIT_AFTER = [
    (re.compile(r"^-?\s*(?:and\s+\d+-?\s*)?year-olds?\b", re.IGNORECASE), "years of age"),
    (re.compile(r"^\s+times a week\b", re.IGNORECASE), "times a week"),
    (re.compile(r"^\s+miles?\b", re.IGNORECASE), "miles"),
    (re.compile(r"^\s+(?:feet|foot)\b", re.IGNORECASE), "feet"),
    (re.compile(r"^[-\s]hours?\b", re.IGNORECASE), "hours"),
    (re.compile(r"^[-\s]days?\b", re.IGNORECASE), "days"),
    (re.compile(r"^[-\s]weeks?\b", re.IGNORECASE), "weeks"),
    (re.compile(r"^[-\s]months?\b", re.IGNORECASE), "months"),
    (re.compile(r"^[-\s]years?\b(?!-)", re.IGNORECASE), "years"),
]

LABEL_STOP = set(
    "which that who whom where when while through including since across by with via as "
    "because so than is are was were be been being have has had will would can could should "
    "may might must and or but yielding accounting sharing filing".split()
)
LABEL_TRIM = set("a an the of for to in on at from and or both its their our his her".split())
LABEL_WORDS = 7

# A figure's category: USD is finance; then words of its label that name staff or enrollment;
# then the subject of its initiative (below); then other words of its label; else programmes
# (or other, in the opening letter).
LABEL_FIRST = [
    ("staffing", r"\bhire[sd]?\b|\bhiring\b|vacanc|recruit|residenc|\bIHEs?\b|institutes of"),
    ("enrollment", r"enrollment|enrolment"),
]
LABEL_THEN = [
    (
        "engagement",
        r"stakeholder|participant|individuals|survey|responses|contributions|community members|"
        r"officials|session|focus group|academic professionals|commitments",
    ),
    ("health", r"outbreak|covid|mental health|meals?\b|lunch|nutrition"),
]
INITIATIVE_CATEGORY = {
    "learn-learn": "engagement",
    "assess-equity-analysis": "engagement",
    "act-advocacy-strategy": "engagement",
    "act-strategic-plan-development": "engagement",
    "act-universal-student-success-part-2": "engagement",
    "assess-broad-fiscal-analysis": "finance",
    "act-2022-23-budget-adjustments": "finance",
    "act-safe-in-person-return-to-headquarters": "facilities",
    "assess-capital-improvement-plan": "facilities",
    "assess-capital-improvement-plan-green-spaces": "facilities",
    "act-transparency-dashboard-for-capital-improvements": "facilities",
    "act-review-and-assess-prevailing-covid-19-protocols": "health",
    "act-elevating-school-nutrition-services": "health",
}
INITIATIVE_PREFIX_CATEGORY = {
    "act-staffing-plan-to-support-schools": "staffing",
    "act-partnering-with-public-and-private-entities": "health",
}


@dataclass
class Figure:
    figure_id: str
    initiative_id: str | None
    part: str
    milestone_id: str | None
    value: float | None
    value_low: float
    value_high: float
    is_range: bool
    value_text: str
    unit: str
    scale: str | None
    qualifier: str | None
    category: str
    label: str
    quote: str
    source_line: int
    metric_key: str | None = None


@dataclass(frozen=True)
class Passage:
    """A stretch of prose figures are read from: a paragraph or a milestone's description."""

    initiative_id: str | None
    part: str
    milestone_id: str | None
    text: str
    source_line: int


# --- finding figures in one passage --------------------------------------------------------


def excluded_spans(text: str) -> list[tuple[int, int, str]]:
    """Where the text holds digits that are not figures, and why."""
    spans = [
        (m.start(), m.end(), why) for why, pattern in NOT_FIGURES for m in pattern.finditer(text)
    ]
    marker = LIST_MARKER.match(text)
    if marker:
        spans.append((marker.start(), marker.end(), "list marker"))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a paragraph; abbreviations such as p. 7, e.g. and L.A. end none."""
    spans, start = [], 0
    for end in re.finditer(r"[.!?][”\")]?(?=\s+[“\"(•]?[A-Z0-9])", text):
        word = re.search(r"(\S+)[.!?][”\")]?$", text[start : end.end()])
        before = word.group(1) if word else ""
        if before.lower() in {"p", "e.g", "i.e", "l.a", "vs", "mr", "ms", "dr", "st"}:
            continue
        if re.fullmatch(r"[A-Z]", before):
            continue
        spans.append((start, end.end()))
        start = end.end()
        while start < len(text) and text[start].isspace():
            start += 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def sentence_at(text: str, offset: int) -> str:
    for start, end in sentence_spans(text):
        if start <= offset < end:
            return text[start:end].removeprefix("• ").strip()
    return text.strip()


def figures_in(text: str) -> list[dict]:
    """Every figure of one passage, with its offset, in reading order."""
    excluded = excluded_spans(text)
    found = []
    for match in FIGURE.finditer(text):
        if not match.group(0).strip() or not (
            match.group("low") or match.group("word") or match.group("half")
        ):
            continue
        if any(a <= match.start() < b or a < match.end() <= b for a, b, _ in excluded):
            continue
        if match.group("half") and not re.search(
            r"\b(?:nearly|almost|about)\s+$|^\s*$", text[: match.start()][-10:], re.I
        ):
            continue
        if glued_to_word(text, match):
            continue
        found.append(read_figure(text, match))
    return found


def glued_to_word(text: str, match: re.Match) -> bool:
    """Digits inside a word or code (B12, 3D): they name something; they count nothing."""
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return before.isalpha() or (after.isalpha() and match.group("low") is not None)


def read_figure(text: str, match: re.Match) -> dict:
    low, high = number(match.group("low") or match.group("word") or "50"), None
    if match.group("high"):
        high = number(match.group("high"))
    if match.group("dozen"):
        low *= 12
    scale = (match.group("scale") or "").lower() or None
    factor = SCALES.get(scale, 1)
    low, high = low * factor, (high * factor if high is not None else None)

    after = text[match.end() :]
    unit = "USD" if match.group("dollar") else "percent" if match.group("percent") else None
    if match.group("half"):
        unit = "percent"
    unit_end = 0
    if unit is None:
        unit, unit_end = unit_after(after)
    qualifier, qualifier_end, qualifier_start = qualifier_of(text, match)

    value_text = match.group(0).strip()
    return {
        "offset": match.start(),
        "value": low if high is None else None,
        "value_low": low,
        "value_high": high if high is not None else low,
        "is_range": high is not None,
        "value_text": value_text,
        "unit": unit,
        "scale": scale or ("dozen" if match.group("dozen") else None),
        "qualifier": qualifier,
        "label": (
            "age of the children served"
            if unit == "years of age"
            else label_of(text, qualifier_start, match.end() + max(unit_end, qualifier_end))
        ),
    }


def number(token: str) -> float:
    word = token.lower()
    if word in WORDS:
        return float(WORDS[word])
    return float(token.replace(",", ""))


def unit_after(after: str) -> tuple[str, int]:
    for pattern, unit in UNIT_AFTER:
        found = pattern.match(after)
        if found:
            return unit, found.end()
    return "count", 0


def qualifier_of(text: str, match: re.Match) -> tuple[str | None, int, int]:
    """The qualifier, how far it reaches past the figure, and where the figure's phrase starts."""
    before = QUALIFIER_BEFORE.search(text[: match.start()])
    if before:
        return before.group(1).lower().removeprefix("an "), 0, before.start()
    after = QUALIFIER_AFTER.match(text[match.end() :])
    if after:
        return after.group(1).lower(), after.end(), match.start()
    return None, 0, match.start()


def label_of(text: str, start: int, end: int) -> str:
    """A few plain words naming what is counted: the words after the figure, else those before."""
    after = words_after(text[end:])
    if after and after[0].lower() != "to":
        return " ".join(after)
    before = trim(words_before(text[:start]))
    return " ".join(before or after)


def words_after(text: str) -> list[str]:
    # "(AB2924) to ..." and "of 49 BSAP secondary schools" say nothing of their own.
    text = re.sub(r"^\s*\([^)]*\)", "", text)
    text = re.sub(rf"^\s+of\s+(?:{DIGITS})(?![\d-])", "", text)
    words = []
    for word in text.split()[:LABEL_WORDS]:
        bare = word.strip("“”\"'")
        if word.startswith("(") or bare.lower() in LABEL_STOP or FIGURE.fullmatch(bare):
            break
        if bare.rstrip(",.;:)"):
            words.append(bare.rstrip(",.;:)"))
        if re.search(r"[,.;:)]$", bare):
            break
    return trim(words)


def words_before(text: str) -> list[str]:
    text = re.sub(r"[\s(]+$", "", text)
    clause = re.split(r"[,.;:()]\s*|\b(?:with|that|which|and)\b", text)[-1]
    return [w.strip("“”\"'") for w in clause.split()][-5:]


def trim(words: list[str]) -> list[str]:
    while words and words[0].lower() in LABEL_TRIM:
        words = words[1:]
    while words and words[-1].lower() in LABEL_TRIM:
        words = words[:-1]
    return words


def category_of(label: str, initiative_id: str | None, unit: str) -> str:
    if unit == "USD":
        return "finance"
    for category, pattern in LABEL_FIRST:
        if re.search(pattern, label, re.IGNORECASE):
            return category
    if initiative_id in INITIATIVE_CATEGORY:
        return INITIATIVE_CATEGORY[initiative_id]
    for prefix, category in INITIATIVE_PREFIX_CATEGORY.items():
        if initiative_id and initiative_id.startswith(prefix):
            return category
    for category, pattern in LABEL_THEN:
        if re.search(pattern, label, re.IGNORECASE):
            return category
    return "programmes" if initiative_id else "other"


# --- the whole report ----------------------------------------------------------------------


def passages(report: Report) -> list[Passage]:
    """The letter, objectives, narratives and milestone descriptions, in the report's order."""
    found = [Passage(None, p.part, None, p.text, p.source_line) for p in report.letter]
    for section in report.sections:
        found += [
            Passage(p.initiative_id, p.part, None, p.text, p.source_line)
            for p in section.paragraphs
        ]
        found += [
            Passage(m.initiative_id, "milestone", m.milestone_id, m.description, m.source_line)
            for m in section.milestones
        ]
    return found


def line_offsets(passage: Passage, lines: list[str]) -> list[tuple[int, int]]:
    """(offset in the passage's text, 1-based source line) for each source line it was joined from.

    A passage's text is its lines, each with spaces normalised, joined by single spaces (or by
    nothing after a split word); page heads and blank lines may sit between them.
    """
    text, cursor, found = passage.text, 0, []
    for index in range(passage.source_line - 1, min(len(lines), passage.source_line + 80)):
        if cursor >= len(text):
            break
        piece = source_piece(lines[index], first=not found)
        if not piece:
            continue
        rest = text[cursor:]
        if rest.startswith(piece) or piece.startswith(rest):
            found.append((cursor, index + 1))
            cursor += min(len(piece), len(rest))
            cursor += text[cursor : cursor + 1] == " "
    return found


def source_piece(line: str, first: bool) -> str:
    piece = normalise_space(line)
    if first:
        # An objective's first line starts with its heading word.
        piece = re.sub(r"^(?:OBJECTIVE|NARRATIVE)\b\s*", "", piece)
        for glyph in BULLET_GLYPHS:
            if piece.startswith(glyph):
                piece = "• " + piece[len(glyph) :].strip()
    return piece


def line_of(offsets: list[tuple[int, int]], offset: int, fallback: int) -> int:
    line = fallback
    for start, number_of_line in offsets:
        if start <= offset:
            line = number_of_line
    return line


def extract(report: Report, text: str) -> list[Figure]:
    """Every figure of the report's prose, one per number, with its sentence and line."""
    lines = text.split("\n")
    figures: list[Figure] = []
    counters: dict[str, int] = {}
    for passage in passages(report):
        found = figures_in(passage.text)
        if not found:
            continue
        offsets = line_offsets(passage, lines)
        for item in found:
            scope = passage.initiative_id or "letter"
            counters[scope] = counters.get(scope, 0) + 1
            quote = (
                passage.text
                if passage.part == "milestone"
                else sentence_at(passage.text, item["offset"])
            )
            figures.append(
                Figure(
                    figure_id=f"{scope}--f{counters[scope]:02d}",
                    initiative_id=passage.initiative_id,
                    part=passage.part,
                    milestone_id=passage.milestone_id,
                    value=item["value"],
                    value_low=item["value_low"],
                    value_high=item["value_high"],
                    is_range=item["is_range"],
                    value_text=item["value_text"],
                    unit=item["unit"],
                    scale=item["scale"],
                    qualifier=item["qualifier"],
                    category=category_of(item["label"], passage.initiative_id, item["unit"]),
                    label=item["label"],
                    quote=quote,
                    source_line=line_of(offsets, item["offset"], passage.source_line),
                )
            )
    return figures


# --- the catalogue of headline metrics -----------------------------------------------------

CATALOGUE_COLUMNS = ("key", "category", "label", "value_text", "quote", "formula", "unit", "note")
UNITS = ("count", "percent", "USD", "miles", "feet", "hours", "days", "weeks", "months", "years")


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    category: str
    label: str
    value_text: str
    quote: str
    formula: str
    unit: str
    note: str
    line: int

    @property
    def is_derived(self) -> bool:
        return bool(self.formula)


@dataclass
class Metric:
    metric_key: str
    kind: str
    category: str
    label: str
    value: float | None
    value_low: float
    value_high: float
    is_range: bool
    value_text: str
    unit: str
    qualifier: str | None
    figure_id: str | None
    initiative_id: str | None
    quote: str
    source_line: int
    formula: str | None
    formula_values: str | None
    note: str | None
    catalogue_line: int


def read_catalogue(path: Path) -> list[CatalogueEntry]:
    """The curated metrics, checked line by line; any fault names the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the metrics catalogue ({error})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CATALOGUE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path} line 1: the catalogue lacks the column(s) {', '.join(missing)}")

    entries: list[CatalogueEntry] = []
    for row in reader:
        values = {c: (row.get(c) or "").strip() for c in CATALOGUE_COLUMNS}
        entry = CatalogueEntry(**values, line=reader.line_num)
        check_entry(path, entry, entries)
        entries.append(entry)
    return entries


def check_entry(path: Path, entry: CatalogueEntry, earlier: list[CatalogueEntry]) -> None:
    def fault(problem: str) -> InputError:
        return InputError(f"{path} line {entry.line} ({entry.key or 'no key'}): {problem}")

    if not re.fullmatch(r"[a-z][a-z0-9_]*", entry.key):
        raise fault("the key must be lower-case letters, digits and underscores")
    if any(other.key == entry.key for other in earlier):
        raise fault("the key is used twice")
    if entry.category not in CATEGORIES:
        raise fault(f"unknown category {entry.category!r} (one of {', '.join(CATEGORIES)})")
    if not entry.label:
        raise fault("the label is empty")
    if entry.is_derived:
        if entry.unit not in UNITS:
            raise fault(f"a derived metric needs a unit (one of {', '.join(UNITS)})")
        known = {other.key for other in earlier}
        unknown = sorted(set(formula_names(entry.formula, fault)) - known)
        if unknown:
            raise fault(f"the formula uses {', '.join(unknown)}, not defined on an earlier line")
    elif not entry.quote or not entry.value_text:
        raise fault("a quoted metric needs both value_text and quote")
    elif entry.value_text not in entry.quote:
        raise fault(f"the quote does not contain its figure {entry.value_text!r}")


def formula_names(formula: str, fault) -> list[str]:
    """Names of a formula of + - * / and parentheses; anything else is refused."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        raise fault(f"the formula {formula!r} is not arithmetic") from None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, ast.Constant)
    allowed += tuple(OPERATORS)
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise fault(f"the formula {formula!r} may use only names, numbers and + - * /")
    return [node.id for node in ast.walk(tree) if isinstance(node, ast.Name)]


OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
}


def evaluate(node: ast.AST, values: dict[str, float]) -> float:
    if isinstance(node, ast.Expression):
        return evaluate(node.body, values)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        return OPERATORS[type(node.op)](evaluate(node.operand, values))
    return OPERATORS[type(node.op)](evaluate(node.left, values), evaluate(node.right, values))


def with_values(formula: str, values: dict[str, float]) -> str:
    """The formula with each name replaced by its value, to show how a number was reached."""
    tree = ast.parse(formula, mode="eval")
    for node in ast.walk(tree):
        for name, child in ast.iter_fields(node):
            if isinstance(child, ast.Name):
                setattr(node, name, ast.Constant(values[child.id]))
    if isinstance(tree.body, ast.Name):
        tree.body = ast.Constant(values[tree.body.id])
    return ast.unparse(tree).replace(".0 ", " ").replace(".0)", ")").removesuffix(".0")


def apply_catalogue(
    figures: list[Figure], catalogue: list[CatalogueEntry], path: Path
) -> list[Metric]:
    """Tag each catalogued figure with its metric key and label; compute the derived metrics.

    Every quote must still pin down exactly one figure of the report, or the build stops.
    """
    metrics: dict[str, Metric] = {}
    for entry in catalogue:
        if entry.is_derived:
            metrics[entry.key] = derive(entry, metrics, path)
            continue
        figure = pinned_figure(figures, entry, path)
        figure.metric_key, figure.label, figure.category = entry.key, entry.label, entry.category
        metrics[entry.key] = quoted_metric(entry, figure)
    return list(metrics.values())


def pinned_figure(figures: list[Figure], entry: CatalogueEntry, path: Path) -> Figure:
    quote = normalise_space(entry.quote)
    in_quote = [f for f in figures if quote in f.quote]
    matches = [f for f in in_quote if f.value_text == entry.value_text]
    where = f"{path.name} line {entry.line} ({entry.key})"
    if not in_quote:
        raise InputError(
            f"{where}: the quote {entry.quote!r} is no longer in the report; "
            "is the report text complete? Otherwise correct the catalogue"
        )
    if not matches:
        raise InputError(
            f"{where}: the report's sentence no longer holds the figure {entry.value_text!r}"
        )
    if len(matches) > 1:
        raise InputError(
            f"{where}: the quote matches {len(matches)} figures; quote more of the sentence"
        )
    if matches[0].metric_key:
        raise InputError(f"{where}: the figure is already the metric {matches[0].metric_key}")
    return matches[0]


def quoted_metric(entry: CatalogueEntry, figure: Figure) -> Metric:
    return Metric(
        metric_key=entry.key,
        kind="quoted",
        category=entry.category,
        label=entry.label,
        value=figure.value,
        value_low=figure.value_low,
        value_high=figure.value_high,
        is_range=figure.is_range,
        value_text=figure.value_text,
        unit=figure.unit,
        qualifier=figure.qualifier,
        figure_id=figure.figure_id,
        initiative_id=figure.initiative_id,
        quote=figure.quote,
        source_line=figure.source_line,
        formula=None,
        formula_values=None,
        note=entry.note or None,
        catalogue_line=entry.line,
    )


def derive(entry: CatalogueEntry, metrics: dict[str, Metric], path: Path) -> Metric:
    names = formula_names(entry.formula, lambda problem: InputError(problem))
    inputs = [metrics[name] for name in dict.fromkeys(names)]
    ranged = [m.metric_key for m in inputs if m.is_range]
    if ranged:
        raise InputError(
            f"{path.name} line {entry.line} ({entry.key}): the formula uses the range {ranged[0]}, "
            "which has no single value"
        )
    values = {m.metric_key: m.value for m in inputs}
    value = evaluate(ast.parse(entry.formula, mode="eval"), values)
    # The report rounds its percentages and hedges its counts ("nearly", "over"), so a number
    # computed from them is approximate unless every input is an exact whole count.
    exact = value == round(value) and all(m.qualifier is None and m.unit == "count" for m in inputs)
    quotes = list(dict.fromkeys(m.quote for m in inputs))
    initiatives = {m.initiative_id for m in inputs}
    return Metric(
        metric_key=entry.key,
        kind="derived",
        category=entry.category,
        label=entry.label,
        value=value,
        value_low=value,
        value_high=value,
        is_range=False,
        value_text=format_value(value, entry.unit),
        unit=entry.unit,
        qualifier=None if exact else "approximately",
        figure_id=None,
        initiative_id=initiatives.pop() if len(initiatives) == 1 else None,
        quote=" … ".join(quotes),
        source_line=min(m.source_line for m in inputs),
        formula=entry.formula,
        formula_values=with_values(entry.formula, values),
        note=entry.note or None,
        catalogue_line=entry.line,
    )


def format_value(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "USD":
        return f"${value:,.0f}"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:g}"


# --- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureTables:
    figures: list[Figure]
    metrics: list[Metric]

    def summary(self) -> str:
        derived = sum(m.kind == "derived" for m in self.metrics)
        return (
            f"extracted {len(self.figures)} figures "
            f"({len(self.metrics) - derived} catalogue metrics, {derived} derived)"
        )


def figure_tables(report: Report, text: str, catalogue_path: Path = CATALOGUE) -> FigureTables:
    """The figures of the report joined to the catalogue; InputError if the catalogue fails."""
    figures = extract(report, text)
    metrics = apply_catalogue(figures, read_catalogue(catalogue_path), catalogue_path)
    return FigureTables(figures, metrics)
