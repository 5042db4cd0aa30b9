-- The database's contract: tables, columns and their descriptions.
-- Columns may be added; none may be renamed. The app's data dictionary reads these comments.

CREATE TABLE initiatives (
    initiative_id VARCHAR PRIMARY KEY,
    phase VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    status VARCHAR,
    status_text VARCHAR,
    estimated_completion DATE,
    completion_precision VARCHAR,
    deliverable VARCHAR,
    objective VARCHAR,
    narrative VARCHAR,
    source_url VARCHAR,
    source_line INTEGER NOT NULL,
    printed_lines VARCHAR NOT NULL,
    plan_start DATE,
    plan_end DATE,
    quarter_columns VARCHAR,
    milestone_count INTEGER NOT NULL
);

COMMENT ON TABLE initiatives IS 'One row per unique section of the report (an initiative of the 100-Day Plan).';
COMMENT ON COLUMN initiatives.initiative_id IS 'Stable slug made from the phase and the title, e.g. act-family-academy.';
COMMENT ON COLUMN initiatives.phase IS 'LEARN, ASSESS, COMMUNICATE or ACT.';
COMMENT ON COLUMN initiatives.title IS 'The section title, joined across line breaks, qualifiers such as (Part 1) kept.';
COMMENT ON COLUMN initiatives.status IS 'Completed or In Progress, read from the STATUS line.';
COMMENT ON COLUMN initiatives.status_text IS 'The STATUS line as printed.';
COMMENT ON COLUMN initiatives.estimated_completion IS 'The estimated completion date the status gives, if any; a month alone is its last day.';
COMMENT ON COLUMN initiatives.completion_precision IS 'day or month: how precisely the status states the estimated completion.';
COMMENT ON COLUMN initiatives.deliverable IS 'ACT sections only: action taken or written plan, from the report''s two opening lists.';
COMMENT ON COLUMN initiatives.objective IS 'The OBJECTIVE text.';
COMMENT ON COLUMN initiatives.narrative IS 'The NARRATIVE text without page heads, footers, stray page numbers or chart labels; paragraphs separated by blank lines.';
COMMENT ON COLUMN initiatives.source_url IS 'The link printed after the section: its own PDF where there is one.';
COMMENT ON COLUMN initiatives.source_line IS '1-based line of the section heading in the source text (the first printing).';
COMMENT ON COLUMN initiatives.printed_lines IS 'Heading lines of every printing of the section, comma-separated (some are printed twice).';
COMMENT ON COLUMN initiatives.plan_start IS 'First day of the first quarter column of the section''s implementation plan table.';
COMMENT ON COLUMN initiatives.plan_end IS 'Last day of the last quarter column of the section''s implementation plan table.';
COMMENT ON COLUMN initiatives.quarter_columns IS 'The table''s quarter columns as calendar quarters, e.g. 2022Q3,2022Q4,2023Q1,2023Q2.';
COMMENT ON COLUMN initiatives.milestone_count IS 'How many milestones the section''s implementation plan table lists.';

CREATE TABLE milestones (
    milestone_id VARCHAR PRIMARY KEY,
    initiative_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    description VARCHAR,
    start_text VARCHAR,
    end_text VARCHAR,
    start_date DATE,
    end_date DATE,
    is_ongoing BOOLEAN NOT NULL,
    quarter_markers INTEGER NOT NULL,
    source_line INTEGER NOT NULL,
    table_kind VARCHAR,
    dates_line INTEGER
);

COMMENT ON TABLE milestones IS 'One row per row of every IMPLEMENTATION PLAN table.';
COMMENT ON COLUMN milestones.milestone_id IS 'The initiative id, two dashes and the row''s order, e.g. act-family-academy--02.';
COMMENT ON COLUMN milestones.initiative_id IS 'The initiative whose table lists the milestone.';
COMMENT ON COLUMN milestones.seq IS 'Order within its table, from 1.';
COMMENT ON COLUMN milestones.description IS 'The milestone text, joined across wrapped lines.';
COMMENT ON COLUMN milestones.start_text IS 'The START cell exactly as printed.';
COMMENT ON COLUMN milestones.end_text IS 'The END cell exactly as printed.';
COMMENT ON COLUMN milestones.start_date IS 'START as a date; a quarter such as Q2-22 is its first day; NULL for Ongoing or N/A.';
COMMENT ON COLUMN milestones.end_date IS 'END as a date; a quarter is its last day; an impossible day such as 9/31/22 is the month''s last day (flagged); NULL for Ongoing or N/A.';
COMMENT ON COLUMN milestones.is_ongoing IS 'True when START or END reads Ongoing.';
COMMENT ON COLUMN milestones.quarter_markers IS 'How many quarter markers (U+F06C glyphs) the row carries in the Gantt columns.';
COMMENT ON COLUMN milestones.source_line IS '1-based line of the milestone''s first line in the source text.';
COMMENT ON COLUMN milestones.dates_line IS '1-based line where the START and END cells are printed (the description may begin lines earlier); NULL when none are.';
COMMENT ON COLUMN milestones.table_kind IS 'The qualifier of the table header, e.g. Data Dashboard Related, where there is one.';

CREATE TABLE quality_issues (
    issue_id INTEGER PRIMARY KEY,
    record_table VARCHAR NOT NULL,
    record_id VARCHAR,
    field VARCHAR NOT NULL,
    raw_value VARCHAR,
    problem VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    source_line INTEGER
);

COMMENT ON TABLE quality_issues IS 'One row per anomaly the ETL found in the source, and what it did about it.';
COMMENT ON COLUMN quality_issues.issue_id IS 'Order in which the ETL found the issue.';
COMMENT ON COLUMN quality_issues.record_table IS 'The table of the record concerned.';
COMMENT ON COLUMN quality_issues.record_id IS 'The id of the record concerned, where there is one.';
COMMENT ON COLUMN quality_issues.field IS 'The column concerned.';
COMMENT ON COLUMN quality_issues.raw_value IS 'The text as printed.';
COMMENT ON COLUMN quality_issues.problem IS 'What is wrong with it.';
COMMENT ON COLUMN quality_issues.action IS 'What the ETL did about it.';
COMMENT ON COLUMN quality_issues.severity IS 'warning: the data may mislead; info: a layout artefact handled as documented.';
COMMENT ON COLUMN quality_issues.source_line IS '1-based line of the source text where it was found.';

CREATE TABLE paragraphs (
    initiative_id VARCHAR,
    part VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

COMMENT ON TABLE paragraphs IS 'The report''s prose paragraph by paragraph, each with its line: what search and figure extraction read.';
COMMENT ON COLUMN paragraphs.initiative_id IS 'The initiative; NULL for the superintendent''s opening letter.';
COMMENT ON COLUMN paragraphs.part IS 'objective, narrative or letter.';
COMMENT ON COLUMN paragraphs.seq IS 'Order within its part, from 0 for the objective and 1 for the others.';
COMMENT ON COLUMN paragraphs.text IS 'The paragraph, joined across wrapped lines.';
COMMENT ON COLUMN paragraphs.source_line IS '1-based line of the paragraph''s first line in the source text.';

CREATE TABLE build_info (
    source_file VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    source_bytes BIGINT NOT NULL,
    source_lines INTEGER NOT NULL,
    built_at TIMESTAMPTZ NOT NULL,
    publication_date DATE NOT NULL
);

COMMENT ON TABLE build_info IS 'One row describing the build: which source it read and when.';
COMMENT ON COLUMN build_info.source_file IS 'File name of the report text the database was built from.';
COMMENT ON COLUMN build_info.source_sha256 IS 'SHA-256 of the report text, to check an export against its source.';
COMMENT ON COLUMN build_info.source_bytes IS 'Size of the report text in bytes.';
COMMENT ON COLUMN build_info.source_lines IS 'Number of lines of the report text.';
COMMENT ON COLUMN build_info.built_at IS 'When the build finished (UTC).';
COMMENT ON COLUMN build_info.publication_date IS 'The report''s publication date, the default as-of date of the app (June 2022).';

-- --- figures and enrollment ---------------------------------------------------------------

CREATE TABLE figures (
    figure_id VARCHAR PRIMARY KEY,
    initiative_id VARCHAR,
    part VARCHAR NOT NULL,
    milestone_id VARCHAR,
    value DOUBLE,
    value_low DOUBLE NOT NULL,
    value_high DOUBLE NOT NULL,
    is_range BOOLEAN NOT NULL,
    value_text VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    scale VARCHAR,
    qualifier VARCHAR,
    category VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    metric_key VARCHAR,
    quote VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

COMMENT ON TABLE figures IS 'One row per number quoted in the report''s prose (opening letter, objectives, narratives, milestone descriptions); dates, years, page numbers, law numbers and list markers are not figures.';
COMMENT ON COLUMN figures.figure_id IS 'The initiative id (or letter), two dashes and the figure''s order in it, e.g. learn-learn--f03.';
COMMENT ON COLUMN figures.initiative_id IS 'The initiative whose text holds the figure; NULL for the superintendent''s opening letter.';
COMMENT ON COLUMN figures.part IS 'Where the figure stands: letter, objective, narrative or milestone.';
COMMENT ON COLUMN figures.milestone_id IS 'The milestone whose description holds the figure, if any.';
COMMENT ON COLUMN figures.value IS 'The number in its unit, scale words applied ($6 million is 6000000, 62% is 62); NULL for a range.';
COMMENT ON COLUMN figures.value_low IS 'The low end of a range such as 75-100; the value itself otherwise.';
COMMENT ON COLUMN figures.value_high IS 'The high end of a range; the value itself otherwise.';
COMMENT ON COLUMN figures.is_range IS 'True for a range such as $235-300 million or 2-7%.';
COMMENT ON COLUMN figures.value_text IS 'The figure as printed, without its qualifier, e.g. 2,495, 62%, $6 million, two dozen.';
COMMENT ON COLUMN figures.unit IS 'count, percent, USD, miles, feet, hours, days, weeks, months, years, years of age or times a week.';
COMMENT ON COLUMN figures.scale IS 'The scale word applied to the number: thousand, million, billion or dozen.';
COMMENT ON COLUMN figures.qualifier IS 'The word the report hedges the figure with: nearly, over, more than, approximately, up to, above, within, estimated, at least, or fewer, or more, or less.';
COMMENT ON COLUMN figures.category IS 'staffing, engagement, enrollment, programmes, finance, facilities, health or other: the catalogue''s for catalogued figures, else by rule from the label and the initiative.';
COMMENT ON COLUMN figures.label IS 'What the figure counts, in a few plain words: the catalogue''s label, else the words the report puts around it.';
COMMENT ON COLUMN figures.metric_key IS 'The key of the headline metric (data/reference/metrics.csv) this figure is; NULL if it is not catalogued.';
COMMENT ON COLUMN figures.quote IS 'The whole sentence the figure stands in (a milestone''s whole description).';
COMMENT ON COLUMN figures.source_line IS '1-based line of the source text on which the figure is printed.';

CREATE TABLE metrics (
    metric_key VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    value DOUBLE,
    value_low DOUBLE NOT NULL,
    value_high DOUBLE NOT NULL,
    is_range BOOLEAN NOT NULL,
    value_text VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    qualifier VARCHAR,
    figure_id VARCHAR,
    initiative_id VARCHAR,
    quote VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    formula VARCHAR,
    formula_values VARCHAR,
    note VARCHAR,
    catalogue_line INTEGER NOT NULL
);

COMMENT ON TABLE metrics IS 'The headline metrics of the curated catalogue (data/reference/metrics.csv), each joined to the figure it quotes or computed from other metrics.';
COMMENT ON COLUMN metrics.metric_key IS 'Stable key of the metric, e.g. teachers_hired.';
COMMENT ON COLUMN metrics.kind IS 'quoted: a figure printed in the report; derived: computed from other metrics by the formula.';
COMMENT ON COLUMN metrics.category IS 'staffing, engagement, enrollment, programmes, finance, facilities, health or other, as the catalogue says.';
COMMENT ON COLUMN metrics.label IS 'The catalogue''s short description of the metric.';
COMMENT ON COLUMN metrics.value IS 'The value in its unit; NULL for a range.';
COMMENT ON COLUMN metrics.value_low IS 'The low end of a range; the value itself otherwise.';
COMMENT ON COLUMN metrics.value_high IS 'The high end of a range; the value itself otherwise.';
COMMENT ON COLUMN metrics.is_range IS 'True when the report gives a range.';
COMMENT ON COLUMN metrics.value_text IS 'The figure as printed; for a derived metric, its value rounded for display.';
COMMENT ON COLUMN metrics.unit IS 'The unit, as in figures.unit.';
COMMENT ON COLUMN metrics.qualifier IS 'The report''s qualifier (nearly, over ...); approximately for a derived value computed from rounded or hedged figures.';
COMMENT ON COLUMN metrics.figure_id IS 'The figure the metric quotes; NULL for a derived metric.';
COMMENT ON COLUMN metrics.initiative_id IS 'The initiative whose text holds the figure (or all the inputs of a derived metric); NULL for the letter or mixed inputs.';
COMMENT ON COLUMN metrics.quote IS 'The sentence the figure stands in; for a derived metric, the sentences of its inputs.';
COMMENT ON COLUMN metrics.source_line IS '1-based line of the figure in the source text (the first input''s, for a derived metric).';
COMMENT ON COLUMN metrics.formula IS 'How a derived metric is computed from other metric keys, e.g. teachers_hired / (1 + teachers_hired_increase / 100); NULL for a quoted one.';
COMMENT ON COLUMN metrics.formula_values IS 'The formula with the inputs'' values in place, e.g. 2495 / (1 + 62 / 100).';
COMMENT ON COLUMN metrics.note IS 'The catalogue''s caveat about the metric, if any.';
COMMENT ON COLUMN metrics.catalogue_line IS 'Line of data/reference/metrics.csv that defines the metric.';

CREATE TABLE enrollment (
    series VARCHAR NOT NULL,
    series_name VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    school_year VARCHAR NOT NULL,
    year_start INTEGER NOT NULL,
    enrollment INTEGER NOT NULL,
    previous_enrollment INTEGER,
    lost_since_previous INTEGER,
    lost_since_previous_pct DOUBLE,
    base_school_year VARCHAR NOT NULL,
    lost_since_base INTEGER NOT NULL,
    lost_since_base_pct DOUBLE NOT NULL,
    definition_changed BOOLEAN,
    definition VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    PRIMARY KEY (series, entity, school_year)
);

COMMENT ON TABLE enrollment IS 'Public enrollment counts (not from the report), one row per series, entity and school year, with the students lost computed within the series only: the series count different things.';
COMMENT ON COLUMN enrollment.series IS 'cde_census_day (all schools under the district''s state code, charters included) or lausd_norm_day (the district''s own Norm Day count).';
COMMENT ON COLUMN enrollment.series_name IS 'The series in plain words.';
COMMENT ON COLUMN enrollment.entity IS 'What is counted: district for district totals, else the school or Local District named in the CSV''s entity column.';
COMMENT ON COLUMN enrollment.school_year IS 'The school year, e.g. 2021-22.';
COMMENT ON COLUMN enrollment.year_start IS 'The calendar year the school year starts in, e.g. 2021.';
COMMENT ON COLUMN enrollment.enrollment IS 'Students enrolled, as the source counts them.';
COMMENT ON COLUMN enrollment.previous_enrollment IS 'The same series and entity in the school year before; NULL if that year is not in the data.';
COMMENT ON COLUMN enrollment.lost_since_previous IS 'Students lost since the year before (previous minus this year; negative is a gain), same series only.';
COMMENT ON COLUMN enrollment.lost_since_previous_pct IS 'lost_since_previous as a percentage of the year before.';
COMMENT ON COLUMN enrollment.base_school_year IS 'The first school year of the series for this entity, the base of the cumulative loss.';
COMMENT ON COLUMN enrollment.lost_since_base IS 'Students lost since the base year (base minus this year), same series only.';
COMMENT ON COLUMN enrollment.lost_since_base_pct IS 'lost_since_base as a percentage of the base year.';
COMMENT ON COLUMN enrollment.definition_changed IS 'True when this year''s definition differs from the year before''s in the same series, so the loss compares slightly different counts.';
COMMENT ON COLUMN enrollment.definition IS 'What the count includes, as the CSV states it.';
COMMENT ON COLUMN enrollment.source IS 'Where the count comes from, as the CSV states it.';
COMMENT ON COLUMN enrollment.source_line IS 'Line of the enrollment CSV the row was read from.';
