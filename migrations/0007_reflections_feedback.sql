-- Reflections get their content (the two lenses, vocabulary, people, friction and ideas, competencies with
-- evidence), full-text search, and versions after submission; hosts give feedback on stints.

alter table reflections
    add column updated_at timestamp with time zone not null default (now()),
    add column due_on date,
    add column on_time boolean,
    add column revision integer not null default 0,
    add column customer_side text not null default '',
    add column inside_out text not null default '',
    add column people_met text not null default '',
    add column friction_and_ideas text not null default '',
    add column search_extra text not null default '';

-- Reflections submitted before this migration (only a timestamp was kept) count as revision 1, due a week
-- after the stint's last day.
update reflections r
set revision = 1,
    due_on = s.end_date + 7,
    on_time = (r.submitted_at at time zone 'UTC')::date <= s.end_date + 7,
    updated_at = r.submitted_at
from stints s
where s.id = r.stint_id and r.submitted_at is not null;

alter table reflections
    alter column revision drop default,
    alter column customer_side drop default,
    alter column inside_out drop default,
    alter column people_met drop default,
    alter column friction_and_ideas drop default,
    alter column search_extra drop default,
    add column search tsvector generated always as (to_tsvector('english', customer_side || ' ' || inside_out || ' ' || people_met || ' ' || friction_and_ideas || ' ' || search_extra)) stored not null,
    add constraint ck_reflections_submitted check ((submitted_at is null) = (revision = 0) and (submitted_at is null) = (due_on is null) and (submitted_at is null) = (on_time is null));

create index ix_reflections_search on reflections using gin (search);

create table reflection_terms (
    stint_id uuid not null,
    position integer not null,
    term character varying(100) not null,
    meaning character varying(2000) not null,
    customer_meaning character varying(2000) not null,
    constraint pk_reflection_terms primary key (stint_id, position),
    constraint fk_reflection_terms_stint_id foreign key (stint_id) references reflections (stint_id) on delete cascade
);

create table reflection_competencies (
    stint_id uuid not null,
    competency_id uuid not null,
    evidence character varying(5000) not null,
    constraint pk_reflection_competencies primary key (stint_id, competency_id),
    constraint fk_reflection_competencies_competency_id foreign key (competency_id) references competencies (id) on delete restrict,
    constraint fk_reflection_competencies_stint_id foreign key (stint_id) references reflections (stint_id) on delete cascade
);
create index ix_reflection_competencies_competency_id on reflection_competencies (competency_id);

create table reflection_versions (
    stint_id uuid not null,
    number integer not null,
    created_at timestamp with time zone not null default (now()),
    author_id uuid,
    content jsonb not null,
    constraint pk_reflection_versions primary key (stint_id, number),
    constraint fk_reflection_versions_author_id foreign key (author_id) references people (id) on delete set null,
    constraint fk_reflection_versions_stint_id foreign key (stint_id) references reflections (stint_id) on delete cascade
);
create index ix_reflection_versions_author_id on reflection_versions (author_id);

create table host_feedback (
    stint_id uuid not null,
    author_id uuid not null,
    engagement integer,
    curiosity integer,
    collaboration integer,
    impact integer,
    comments text not null,
    created_at timestamp with time zone not null default (now()),
    updated_at timestamp with time zone not null default (now()),
    submitted_at timestamp with time zone,
    constraint pk_host_feedback primary key (stint_id),
    constraint ck_host_feedback_ratings check (engagement between 1 and 4 and curiosity between 1 and 4 and collaboration between 1 and 4 and impact between 1 and 4),
    constraint ck_host_feedback_submitted_rated check (submitted_at is null or (engagement is not null and curiosity is not null and collaboration is not null and impact is not null)),
    constraint fk_host_feedback_author_id foreign key (author_id) references people (id) on delete restrict,
    constraint fk_host_feedback_stint_id foreign key (stint_id) references stints (id) on delete cascade
);
create index ix_host_feedback_author_id on host_feedback (author_id);
