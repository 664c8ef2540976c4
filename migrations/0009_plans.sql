-- The auto-planner: leaders' unavailable periods (the planner never books into them), and the plans HR previews
-- and commits: the proposal's stints (removed or pinned by HR), what could not be placed and why, and the metrics.

create table leader_unavailability (
    id uuid not null,
    person_id uuid not null,
    from_date date not null,
    to_date date not null,
    reason character varying(200) not null,
    created_at timestamp with time zone not null default (now()),
    constraint pk_leader_unavailability primary key (id),
    constraint ck_leader_unavailability_dates check (to_date >= from_date),
    constraint fk_leader_unavailability_person_id foreign key (person_id) references people (id) on delete cascade
);
create index ix_leader_unavailability_person_id on leader_unavailability (person_id);

create table plans (
    id uuid not null,
    cohort_id uuid not null,
    from_date date not null,
    to_date date not null,
    status character varying(16) not null,
    created_by_id uuid not null,
    created_at timestamp with time zone not null default (now()),
    updated_at timestamp with time zone not null default (now()),
    committed_at timestamp with time zone,
    committed_by_id uuid,
    unplaced jsonb not null,
    metrics jsonb not null,
    constraint pk_plans primary key (id),
    constraint ck_plans_dates check (to_date >= from_date),
    constraint ck_plans_status check (status in ('Proposed', 'Committed', 'Discarded')),
    constraint ck_plans_committed check ((status = 'Committed') = (committed_at is not null) and (committed_at is null) = (committed_by_id is null)),
    constraint fk_plans_cohort_id foreign key (cohort_id) references cohorts (id) on delete cascade,
    constraint fk_plans_committed_by_id foreign key (committed_by_id) references people (id) on delete restrict,
    constraint fk_plans_created_by_id foreign key (created_by_id) references people (id) on delete restrict
);
create index ix_plans_cohort_id on plans (cohort_id);
create index ix_plans_committed_by_id on plans (committed_by_id);
create index ix_plans_created_by_id on plans (created_by_id);

create table plan_items (
    plan_id uuid not null,
    position integer not null,
    leader_id uuid not null,
    tour_id uuid not null,
    kind character varying(16) not null,
    start_date date not null,
    end_date date not null,
    pinned boolean not null,
    removed boolean not null,
    stint_id uuid,
    constraint pk_plan_items primary key (plan_id, position),
    constraint ck_plan_items_dates check (end_date >= start_date),
    constraint fk_plan_items_leader_id foreign key (leader_id) references people (id) on delete cascade,
    constraint fk_plan_items_plan_id foreign key (plan_id) references plans (id) on delete cascade,
    constraint fk_plan_items_stint_id foreign key (stint_id) references stints (id) on delete set null,
    constraint fk_plan_items_tour_id foreign key (tour_id) references tours (id) on delete restrict
);
create index ix_plan_items_leader_id on plan_items (leader_id);
create index ix_plan_items_stint_id on plan_items (stint_id);
create index ix_plan_items_tour_id on plan_items (tour_id);
