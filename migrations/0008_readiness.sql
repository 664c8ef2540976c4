-- Readiness: the criteria of each target level (HR edits them), the decision bands, and the managers'
-- readiness reviews with a rating per competency. A submitted review never changes: a later one supersedes
-- it, and HR returning one for calibration opens a new draft beside it. A review keeps the words of its band
-- as they were when it was submitted, so renaming or adding a band never relabels an old decision.

create table readiness_criteria (
    level character varying(16) not null,
    min_distinct_tours integer not null,
    min_total_weeks integer not null,
    require_all_reflected boolean not null,
    updated_at timestamp with time zone not null default (now()),
    constraint pk_readiness_criteria primary key (level),
    constraint ck_readiness_criteria_level check (level in ('HeadOf', 'Director', 'VP', 'CCO')),
    constraint ck_readiness_criteria_bounds check (min_distinct_tours between 0 and 100 and min_total_weeks between 0 and 1000)
);

create table readiness_required_tours (
    level character varying(16) not null,
    tour_id uuid not null,
    constraint pk_readiness_required_tours primary key (level, tour_id),
    constraint fk_readiness_required_tours_level foreign key (level) references readiness_criteria (level) on delete cascade,
    constraint fk_readiness_required_tours_tour_id foreign key (tour_id) references tours (id) on delete restrict
);
create index ix_readiness_required_tours_tour_id on readiness_required_tours (tour_id);

create table readiness_min_ratings (
    level character varying(16) not null,
    competency_id uuid not null,
    min_rating integer not null,
    constraint pk_readiness_min_ratings primary key (level, competency_id),
    constraint ck_readiness_min_ratings_rating check (min_rating between 1 and 4),
    constraint fk_readiness_min_ratings_competency_id foreign key (competency_id) references competencies (id) on delete restrict,
    constraint fk_readiness_min_ratings_level foreign key (level) references readiness_criteria (level) on delete cascade
);
create index ix_readiness_min_ratings_competency_id on readiness_min_ratings (competency_id);

create table readiness_bands (
    code character varying(32) not null,
    label character varying(80) not null,
    position integer not null,
    is_retired boolean not null,
    constraint pk_readiness_bands primary key (code)
);

create table readiness_reviews (
    id uuid not null,
    leader_id uuid not null,
    level character varying(16) not null,
    status character varying(16) not null,
    author_id uuid not null,
    decision character varying(32),
    decision_label character varying(80),
    rationale text not null,
    created_at timestamp with time zone not null default (now()),
    updated_at timestamp with time zone not null default (now()),
    submitted_at timestamp with time zone,
    submitted_by_id uuid,
    returned_from_id uuid,
    returned_at timestamp with time zone,
    returned_by_id uuid,
    return_comment text,
    constraint pk_readiness_reviews primary key (id),
    constraint ck_readiness_reviews_level check (level in ('HeadOf', 'Director', 'VP', 'CCO')),
    constraint ck_readiness_reviews_status check (status in ('Draft', 'Submitted', 'Returned')),
    constraint ck_readiness_reviews_submitted check ((status = 'Draft') = (submitted_at is null) and (submitted_at is null) = (decision_label is null) and (submitted_at is null or (decision is not null and submitted_by_id is not null))),
    constraint ck_readiness_reviews_returned check ((status = 'Returned') = (returned_at is not null)),
    constraint fk_readiness_reviews_author_id foreign key (author_id) references people (id) on delete restrict,
    constraint fk_readiness_reviews_decision foreign key (decision) references readiness_bands (code) on delete restrict,
    constraint fk_readiness_reviews_leader_id foreign key (leader_id) references people (id) on delete cascade,
    constraint fk_readiness_reviews_returned_by_id foreign key (returned_by_id) references people (id) on delete restrict,
    constraint fk_readiness_reviews_returned_from_id foreign key (returned_from_id) references readiness_reviews (id) on delete restrict,
    constraint fk_readiness_reviews_submitted_by_id foreign key (submitted_by_id) references people (id) on delete restrict
);
create index ix_readiness_reviews_leader_id_level_submitted_at on readiness_reviews (leader_id, level, submitted_at);
-- One open draft per leader and level: whoever reviews picks it up.
create unique index ix_readiness_reviews_leader_id_level on readiness_reviews (leader_id, level) where status = 'Draft';
create index ix_readiness_reviews_author_id on readiness_reviews (author_id);
create index ix_readiness_reviews_decision on readiness_reviews (decision);
create index ix_readiness_reviews_returned_by_id on readiness_reviews (returned_by_id);
create index ix_readiness_reviews_returned_from_id on readiness_reviews (returned_from_id);
create index ix_readiness_reviews_submitted_by_id on readiness_reviews (submitted_by_id);

create table review_ratings (
    review_id uuid not null,
    competency_id uuid not null,
    rating integer not null,
    comment character varying(2000) not null,
    constraint pk_review_ratings primary key (review_id, competency_id),
    constraint ck_review_ratings_rating check (rating between 1 and 4),
    constraint fk_review_ratings_competency_id foreign key (competency_id) references competencies (id) on delete restrict,
    constraint fk_review_ratings_review_id foreign key (review_id) references readiness_reviews (id) on delete cascade
);
create index ix_review_ratings_competency_id on review_ratings (competency_id);

-- What was submitted stays as it was, whatever the application does: only the return of a submitted review
-- (status, when, by whom, why — once) may touch it; it is never deleted (unless its leader is, by cascade), and its
-- ratings are frozen with it.
create function readiness_reviews_frozen() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if old.status <> 'Draft' and pg_trigger_depth() = 1 then
            raise exception 'readiness review % was submitted and is never deleted', old.id using errcode = 'P0001';
        end if;
        return old;
    end if;
    if old.status <> 'Draft' and (
        (new.id, new.leader_id, new.level, new.author_id, new.decision, new.decision_label, new.rationale, new.submitted_at,
         new.submitted_by_id, new.created_at, new.returned_from_id)
        is distinct from
        (old.id, old.leader_id, old.level, old.author_id, old.decision, old.decision_label, old.rationale, old.submitted_at,
         old.submitted_by_id, old.created_at, old.returned_from_id)
        or (old.status = 'Returned' and (new.status, new.returned_at, new.returned_by_id, new.return_comment)
            is distinct from (old.status, old.returned_at, old.returned_by_id, old.return_comment))
        or (old.status = 'Submitted' and new.status not in ('Submitted', 'Returned'))) then
        raise exception 'readiness review % was submitted and cannot change', old.id using errcode = 'P0001';
    end if;
    return new;
end $$;
create trigger readiness_reviews_frozen before update or delete on readiness_reviews
    for each row execute function readiness_reviews_frozen();

create function review_ratings_frozen() returns trigger language plpgsql as $$
begin
    -- The review a rating leaves and the one it joins must both be drafts (a cascade from a deleted review passes).
    if (tg_op <> 'INSERT' and exists (select 1 from readiness_reviews r where r.id = old.review_id and r.status <> 'Draft' for share))
        or (tg_op <> 'DELETE' and exists (select 1 from readiness_reviews r where r.id = new.review_id and r.status <> 'Draft' for share)) then
        raise exception 'the ratings of a submitted readiness review cannot change' using errcode = 'P0001';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger review_ratings_frozen before insert or update or delete on review_ratings
    for each row execute function review_ratings_frozen();

insert into readiness_bands (code, label, position, is_retired) values
('ReadyNow', 'Ready now', 1, false),
('Ready1To2Years', 'Ready in 1–2 years', 2, false),
('Ready3PlusYears', 'Ready in 3+ years', 3, false),
('NotYet', 'Not yet', 4, false);

-- Broader levels need more breadth; VP and CCO need executive management.
insert into readiness_criteria (level, min_distinct_tours, min_total_weeks, require_all_reflected) values
('HeadOf', 3, 8, true),
('Director', 5, 16, true),
('VP', 7, 26, true),
('CCO', 9, 36, true);

insert into readiness_required_tours (level, tour_id)
select level, ('00000000-0000-0000-0000-0000000b' || lpad(t::text, 4, '0'))::uuid
from (values
    ('HeadOf', 3),                                   -- CONTACT: the front door, first-hand
    ('Director', 3), ('Director', 1),                -- and SALES
    ('VP', 3), ('VP', 1), ('VP', 11),                -- and EXEC
    ('CCO', 3), ('CCO', 1), ('CCO', 7), ('CCO', 11)  -- and PRODUCT
) as required(level, t);

insert into readiness_min_ratings (level, competency_id, min_rating)
select level, ('00000000-0000-0000-0000-0000000c' || lpad(c::text, 4, '0'))::uuid, r
from (values
    ('HeadOf', 1, 3), ('HeadOf', 7, 3),
    ('Director', 1, 3), ('Director', 2, 3), ('Director', 4, 3), ('Director', 7, 3),
    ('VP', 1, 3), ('VP', 2, 3), ('VP', 3, 3), ('VP', 4, 3), ('VP', 6, 3), ('VP', 9, 3),
    ('CCO', 1, 4), ('CCO', 2, 3), ('CCO', 3, 4), ('CCO', 4, 3), ('CCO', 5, 3), ('CCO', 6, 3), ('CCO', 8, 3), ('CCO', 9, 3)
) as minimum(level, c, r);
