"""The parser on the real report: sections, titles, statuses, milestones, as printed."""

from collections import Counter
from datetime import date

import pytest

from etl.report import PHASES, join_wrapped


def section(report, initiative_id):
    return next(s for s in report.sections if s.initiative_id == initiative_id)


def milestone(report, milestone_id):
    return next(m for m in report.milestones if m.milestone_id == milestone_id)


def test_42_unique_sections_by_phase(report):
    assert len(report.sections) == 42
    assert Counter(s.phase for s in report.sections) == {
        "LEARN": 1,
        "ASSESS": 10,
        "COMMUNICATE": 1,
        "ACT": 30,
    }


def test_five_in_progress_the_rest_completed(report):
    assert Counter(s.status for s in report.sections) == {"Completed": 37, "In Progress": 5}
    assert sorted(s.title for s in report.sections if s.status == "In Progress") == [
        "Alignment of District Divisions and their Functions",
        "Cultural Arts Passport",
        "Equity Analysis",
        "Landscape Analysis",
        "Strategic Plan Development",
    ]


def test_status_text_kept_as_printed(report):
    alignment = section(report, "act-alignment-of-district-divisions-and-their-functions")
    assert alignment.status_text == "In-Progress (estimated completion - August 5, 2022)"
    assert alignment.estimated_completion == date(2022, 8, 5)
    external = section(report, "communicate-external-communications")
    assert (external.status, external.status_text) == (
        "Completed",
        "Completed, with ongoing content creation",
    )


def test_learn_has_no_phase_heading_and_is_titled_learn(report, report_text):
    learn = section(report, "learn-learn")
    assert (learn.phase, learn.title) == ("LEARN", "LEARN")
    assert report_text.split("\n")[learn.source_line - 1].strip() == "LEARN"


@pytest.mark.parametrize(
    ("initiative_id", "title"),
    [
        (
            "assess-assessing-infrastructure-for-college-and-career-readiness",
            "Assessing Infrastructure for College and Career Readiness",
        ),
        ("assess-capital-improvement-plan-green-spaces", "Capital Improvement Plan (Green Spaces)"),
        ("act-universal-student-success-part-1", "Universal Student Success (Part 1)"),
        ("act-universal-student-success-part-2", "Universal Student Success (Part 2)"),
        ("act-safe-in-person-return-to-headquarters", "Safe In-Person Return to Headquarters"),
        (
            "act-staffing-plan-to-support-schools-classified-employees-"
            "bus-drivers-cafeteria-workers-etc",
            "Staffing Plan to Support Schools (Classified Employees: Bus Drivers, Cafeteria "
            "Workers, etc.)",
        ),
        (
            "act-partnering-with-public-and-private-entities-in-los-angeles-county-to-address-the-"
            "mental-health-and-wellness-of-our-school-community",
            "Partnering with Public and Private Entities in Los Angeles County to Address the "
            "Mental Health and Wellness of Our School Community",
        ),
    ],
)
def test_titles_joined_across_lines_with_qualifiers(report, initiative_id, title):
    assert section(report, initiative_id).title == title


def test_page_heads_are_not_sections(report):
    titles = [s.title for s in report.sections]
    assert not any(t[-1].isdigit() for t in titles if not t.endswith("2022-23"))
    assert titles.count("Enrollment Trends") == 1
    assert titles.count("Scan of Environmental Liabilities In and Around Our Schools") == 1


def test_sections_printed_twice_are_kept_once(report):
    twice = {s.initiative_id: s.printed_lines for s in report.sections if len(s.printed_lines) > 1}
    assert twice == {
        "assess-assessing-infrastructure-for-college-and-career-readiness": [205, 248],
        "act-expansion-of-learning-options": [1573, 1617],
    }


def test_source_lines_point_at_the_headings(report, report_text):
    lines = report_text.split("\n")
    for s in report.sections:
        if s.phase != "LEARN":
            assert lines[s.source_line - 1].strip().startswith(f"{s.phase} |"), s.title


@pytest.mark.parametrize(
    ("initiative_id", "count"),
    [
        ("learn-learn", 7),
        ("act-advocacy-strategy", 8),
        ("act-expansion-of-early-education-opportunities", 9),
        ("act-cultural-arts-passport", 8),
        ("assess-capital-improvement-plan", 5),
        ("act-2022-23-budget-adjustments", 1),
        ("assess-student-performance-review", 0),
        ("act-transparency-dashboard-for-capital-improvements", 0),
    ],
)
def test_milestone_counts(report, initiative_id, count):
    assert len(section(report, initiative_id).milestones) == count


def test_total_milestones(report):
    assert len(report.milestones) == 160


def test_quarter_columns_are_calendar_quarters(report):
    capital = section(report, "assess-capital-improvement-plan")
    assert capital.quarter_columns == "2022Q2,2022Q3,2022Q4,2023Q1,2023Q2,2023Q3,2023Q4"
    assert (capital.plan_start, capital.plan_end) == (date(2022, 4, 1), date(2023, 12, 31))
    learn = section(report, "learn-learn")
    assert learn.quarter_columns == "2022Q3,2022Q4,2023Q1,2023Q2"


def test_wrapped_description_with_dates_on_their_own_line(report):
    m = milestone(report, "act-increased-opportunities-for-adult-education-students--01")
    assert m.description == (
        "Develop a workforce training framework and begin implementing key strategies including "
        "developing new course outlines, establishing a career technical education teacher "
        "recruitment task force and implementing an induction program for new teachers"
    )
    assert (m.start_text, m.end_text, m.start_date, m.end_date) == (
        "04/06/22",
        "12/15/22",
        date(2022, 4, 6),
        date(2022, 12, 15),
    )
    assert (m.quarter_markers, m.source_line) == (2, 2035)


def test_impossible_date_is_flagged_not_hidden(report):
    m = milestone(report, "act-strategic-plan-development--03")
    assert (m.end_text, m.end_date, m.source_line, m.dates_line) == (
        "9/31/22",
        date(2022, 9, 30),
        1166,
        1169,
    )
    flagged = [i for i in report.issues if i.record_id == m.milestone_id]
    assert [(i.field, i.raw_value, i.problem, i.source_line) for i in flagged] == [
        ("end_text", "9/31/22", "no such date", 1169),
    ]


def test_quarter_dates(report):
    m = milestone(report, "assess-capital-improvement-plan--01")
    assert (m.start_text, m.end_text) == ("Q2-22", "Q1-23")
    assert (m.start_date, m.end_date) == (date(2022, 4, 1), date(2023, 3, 31))


@pytest.mark.parametrize(
    ("milestone_id", "start", "end", "start_date", "end_date"),
    [
        ("communicate-external-communications--05", "Ongoing", "Ongoing", None, None),
        ("act-expansion-of-learning-options--04", "Ongoing", "N/A", None, None),
        (
            "assess-analyze-safe-passages-to-and-from-school--01",
            "Ongoing",
            "6/01/23",
            None,
            date(2023, 6, 1),
        ),
        ("assess-broad-fiscal-analysis--01", "3/15/22", "Ongoing", date(2022, 3, 15), None),
    ],
)
def test_ongoing_and_not_applicable(report, milestone_id, start, end, start_date, end_date):
    m = milestone(report, milestone_id)
    assert (m.start_text, m.end_text, m.start_date, m.end_date, m.is_ongoing) == (
        start,
        end,
        start_date,
        end_date,
        True,
    )


def test_start_long_before_the_plan_period_is_flagged(report):
    m = milestone(report, "assess-assessing-infrastructure-for-college-and-career-readiness--04")
    assert (m.start_text, m.start_date) == ("1/16/20", date(2020, 1, 16))
    problems = [i.problem for i in report.issues if i.record_id == m.milestone_id]
    assert problems == ["starts long before the plan period (which opens 2022-04-01)"]


def test_marker_counts_that_disagree_with_dates_are_flagged(report):
    flagged = sorted(
        i.record_id for i in report.issues if i.field == "quarter_markers" and i.record_id
    )
    assert flagged == [
        "act-all-families-connected--04",  # 7/01/22-9/30/22 is one quarter, printed with two
        "act-cultural-arts-passport--04",
        "act-cultural-arts-passport--08",
        "act-explore-options-to-improve-student-transportation-services--02",
    ]


def test_no_running_head_or_glyph_in_any_narrative(report):
    for s in report.sections:
        for line in (s.objective + "\n" + s.narrative).split("\n"):
            assert "100-Day Plan Report" not in line, s.title
            assert not any(f"{phase} |" in line for phase in PHASES), s.title
            assert "\uf06c" not in line and "\uf06e" not in line, s.title


def test_chart_labels_are_removed_and_reported(report):
    trends = section(report, "assess-enrollment-trends")
    assert "students lost" not in trends.narrative and "\n\n1000" not in trends.narrative
    issue = next(i for i in report.issues if i.record_id == "assess-enrollment-trends")
    assert issue.raw_value == (
        "1000 | 2000 | 3000 | # students lost | Population Loss, 2016−17 to 2021−22"
    )


def test_narrative_paragraphs_and_bullets(report):
    trends = section(report, "assess-enrollment-trends")
    assert trends.narrative.split("\n\n")[2] == (
        "• Ensure enrollment impacts are incorporated into districtwide decisions and policies"
    )


def test_deliverables_from_the_opening_lists(report):
    act = [s for s in report.sections if s.phase == "ACT"]
    assert Counter(s.deliverable for s in act) == {"action taken": 10, "written plan": 20}
    assert all(s.deliverable is None for s in report.sections if s.phase != "ACT")
    assert section(report, "act-universal-student-success-part-2").deliverable == "written plan"


@pytest.mark.parametrize(
    ("initiative_id", "url_end"),
    [
        ("assess-broad-fiscal-analysis", "ASSESS3_BroadFiscalAnalysis_V2.pdf"),
        ("act-2022-23-budget-adjustments", "ACT15_BudgetAdjustment_V2.pdf"),
        ("act-universal-student-success-part-2", "ACT12_UniversalStudentSuccess_V1.pdf"),
        ("learn-learn", "LEARN_V1.pdf"),
        ("act-supporting-all-students-eligible-for-free-and-reduced-lunch", "/Page/18342"),
    ],
)
def test_source_links(report, initiative_id, url_end):
    assert section(report, initiative_id).source_url.endswith(url_end)


def test_sections_without_a_link_say_so(report):
    missing = [s.initiative_id for s in report.sections if s.source_url is None]
    assert len(missing) == 14
    noted = {i.record_id for i in report.issues if i.field == "source_url"}
    assert noted == set(missing)


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["high-", "quality services"], "high-quality services"),
        (["short- and long-", "term challenges"], "short- and long-term challenges"),
        (["UTK/", "CC. To provide"], "UTK/CC. To provide"),
        (["Local  District ", " staff"], "Local District staff"),
    ],
)
def test_join_wrapped(lines, joined):
    assert join_wrapped(lines) == joined
