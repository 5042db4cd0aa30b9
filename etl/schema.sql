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
    table_kind VARCHAR
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
