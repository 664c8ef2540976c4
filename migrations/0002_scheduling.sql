-- 0002 scheduling: the tours catalogue, leader profiles and cohorts, stints, calendar feeds, the audit trail.
-- Stints, tours and cohorts carry PostgreSQL's xmin as their version for optimistic concurrency (no column).

alter table people add column manager_id uuid;
alter table people add constraint fk_people_manager_id foreign key (manager_id) references people (id) on delete restrict;
create index ix_people_manager_id on people (manager_id);

create table tours (
    id uuid not null,
    code character varying(16) not null,
    name character varying(100) not null,
    summary text not null,
    outside_in text not null,
    inside_out text not null,
    reflection_prompts text not null,
    orientation_min_weeks integer not null,
    orientation_typical_weeks integer not null,
    orientation_max_weeks integer not null,
    assignment_min_weeks integer not null,
    assignment_typical_weeks integer not null,
    assignment_max_weeks integer not null,
    capacity integer not null,
    is_retired boolean not null,
    created_at timestamp with time zone not null default (now()),
    constraint pk_tours primary key (id),
    constraint ck_tours_capacity check (capacity >= 1),
    constraint ck_tours_orientation_weeks check (orientation_min_weeks >= 1 and orientation_min_weeks <= orientation_typical_weeks and orientation_typical_weeks <= orientation_max_weeks),
    constraint ck_tours_assignment_weeks check (assignment_min_weeks >= 1 and assignment_min_weeks <= assignment_typical_weeks and assignment_typical_weeks <= assignment_max_weeks)
);
create unique index ix_tours_code on tours (code);

create table tour_hosts (
    tour_id uuid not null,
    person_id uuid not null,
    constraint pk_tour_hosts primary key (tour_id, person_id),
    constraint fk_tour_hosts_person_id foreign key (person_id) references people (id) on delete restrict,
    constraint fk_tour_hosts_tour_id foreign key (tour_id) references tours (id) on delete cascade
);
create index ix_tour_hosts_person_id on tour_hosts (person_id);

create table cohorts (
    id uuid not null,
    name character varying(100) not null,
    start_date date not null,
    end_date date not null,
    created_at timestamp with time zone not null default (now()),
    constraint pk_cohorts primary key (id),
    constraint ck_cohorts_dates check (end_date >= start_date)
);
create unique index ix_cohorts_name on cohorts (name);

create table leader_profiles (
    person_id uuid not null,
    current_level character varying(16) not null,
    target_level character varying(16) not null,
    cohort_id uuid,
    home_department character varying(100) not null,
    programme_start date,
    constraint pk_leader_profiles primary key (person_id),
    constraint fk_leader_profiles_cohort_id foreign key (cohort_id) references cohorts (id) on delete set null,
    constraint fk_leader_profiles_person_id foreign key (person_id) references people (id) on delete cascade
);
create index ix_leader_profiles_cohort_id on leader_profiles (cohort_id);

create table stints (
    id uuid not null,
    leader_id uuid not null,
    tour_id uuid not null,
    host_id uuid,
    start_date date not null,
    end_date date not null,
    kind character varying(16) not null,
    objectives text not null,
    confirmed_at timestamp with time zone,
    confirmed_by_id uuid,
    cancelled_at timestamp with time zone,
    cancel_reason character varying(500),
    created_at timestamp with time zone not null default (now()),
    constraint pk_stints primary key (id),
    constraint ck_stints_dates check (end_date >= start_date),
    constraint fk_stints_confirmed_by_id foreign key (confirmed_by_id) references people (id) on delete restrict,
    constraint fk_stints_host_id foreign key (host_id) references people (id) on delete restrict,
    constraint fk_stints_leader_id foreign key (leader_id) references people (id) on delete restrict,
    constraint fk_stints_tour_id foreign key (tour_id) references tours (id) on delete restrict
);
create index ix_stints_confirmed_by_id on stints (confirmed_by_id);
create index ix_stints_host_id on stints (host_id);
create index ix_stints_leader_id_start_date on stints (leader_id, start_date);
create index ix_stints_tour_id_start_date on stints (tour_id, start_date);

create table calendar_feeds (
    id uuid not null,
    token character varying(64) not null,
    person_id uuid,
    tour_id uuid,
    created_at timestamp with time zone not null default (now()),
    revoked_at timestamp with time zone,
    constraint pk_calendar_feeds primary key (id),
    constraint ck_calendar_feeds_owner check ((person_id is null) <> (tour_id is null)),
    constraint fk_calendar_feeds_person_id foreign key (person_id) references people (id) on delete cascade,
    constraint fk_calendar_feeds_tour_id foreign key (tour_id) references tours (id) on delete cascade
);
create index ix_calendar_feeds_person_id on calendar_feeds (person_id);
create unique index ix_calendar_feeds_token on calendar_feeds (token);
create index ix_calendar_feeds_tour_id on calendar_feeds (tour_id);

create table audit_entries (
    id bigint generated by default as identity,
    at timestamp with time zone not null,
    actor_id uuid,
    actor_name character varying(200) not null,
    entity_type character varying(50) not null,
    entity_key character varying(100) not null,
    label character varying(300) not null,
    action character varying(20) not null,
    changes jsonb not null,
    constraint pk_audit_entries primary key (id)
);
create index ix_audit_entries_at on audit_entries (at);
create index ix_audit_entries_entity_type_entity_key on audit_entries (entity_type, entity_key);

-- The catalogue: eleven tours, each with its outside-in lens (the customer's side) and its inside-out
-- lens (how the company works). Weeks: orientation min/typical/max, assignment min/typical/max.
insert into tours (id, code, name, summary, outside_in, inside_out, reflection_prompts,
    orientation_min_weeks, orientation_typical_weeks, orientation_max_weeks,
    assignment_min_weeks, assignment_typical_weeks, assignment_max_weeks, capacity, is_retired) values
('00000000-0000-0000-0000-0000000b0001', 'SALES', 'Sales',
 'Sit beside the people who win customers, in meetings, on calls and at the moment a deal is signed.',
 'Watch the brand meet the market one person at a time: which offers and prices land, which fall flat, and what buyers praise or push back on before they commit.',
 'Learn the CRM and lead tools, how contracts are put together, how commission plans steer behaviour, and how a signed deal is handed to onboarding.',
 E'Which promise made during the sale will be hardest for the rest of the company to keep?\nWhere did an incentive push someone to do something a customer would not choose?\nWhat gets lost between the signed deal and the first day as a customer?',
 2, 3, 6, 8, 12, 26, 3, false),
('00000000-0000-0000-0000-0000000b0002', 'SERVICE', 'Customer service',
 'Work alongside the teams that look after customers long after the sale.',
 'See the long tail of the relationship: how customers feel months in, what they expect the brand to stand for, and where that promise frays.',
 'Learn the service processes and tools, the metrics the team is judged on, how systems connect, and how customer data is used (or not) to help.',
 E'Where did a customer''s feeling about us change during a single contact?\nWhich metric rewards the team for something customers do not value?\nWhat customer data was missing at the moment it was needed?',
 2, 3, 6, 8, 12, 26, 3, false),
('00000000-0000-0000-0000-0000000b0003', 'CONTACT', 'Contact centre',
 'Call in as a customer, then take a seat next to the agents who answer.',
 'Experience the front door first-hand: queue times, menus, hand-offs and the words customers use when they are stuck.',
 'Sit with agents through escalations and busy hours; see how targets shape behaviour, which tools help and hinder, and what live pressure does to judgement.',
 E'What did it feel like to be the caller, before you knew how it works?\nWhich target made an agent rush a customer they wanted to help?\nWhat would you remove from the agent''s screen?',
 1, 2, 4, 6, 10, 20, 2, false),
('00000000-0000-0000-0000-0000000b0004', 'FIELD', 'Field service',
 'Ride along with the engineers who install and repair at the customer''s site.',
 'Be there when the engineer rings the doorbell: the customer''s time, their home or shop floor, and what a second visit costs them.',
 'Learn how work is dispatched and scheduled, how spare parts reach the van, and how engineers find and share what they know.',
 E'What did the customer have to do or wait for that we never see in a report?\nWhy did a job need a second visit, and who paid for it?\nWhere does an engineer''s know-how live, and who else can use it?',
 2, 3, 6, 8, 12, 26, 2, false),
('00000000-0000-0000-0000-0000000b0005', 'DEPOT', 'Depot service',
 'Spend time where broken equipment comes back to be repaired.',
 'Understand what a broken device and the days without it cost the customer, and how they judge the repair when it returns.',
 'Follow the repair flow, find the root causes that keep coming back, see how warranty decisions are made and how findings reach product teams and suppliers.',
 E'What does a day without this device cost a typical customer?\nWhich fault keeps coming back, and why has nobody stopped it?\nHow does what the depot learns reach the people who design the product?',
 2, 3, 6, 8, 12, 20, 2, false),
('00000000-0000-0000-0000-0000000b0006', 'SELF', 'Self service',
 'Use the customer-facing help tools, then meet the people who write and maintain them.',
 'Try to solve real problems with the FAQs, tutorials and portals customers are offered, and notice where you give up and pick up the phone.',
 'Learn how self-service content is written, checked, kept current and retired, and who decides what customers can do without talking to us.',
 E'Which task did you fail to finish on your own, and what stopped you?\nHow old is the content customers rely on most?\nWho owns an article when the product changes under it?',
 1, 2, 4, 6, 8, 16, 2, false),
('00000000-0000-0000-0000-0000000b0007', 'PRODUCT', 'Product management',
 'Join the product managers who decide what gets built next.',
 'See how our offerings appear in the market next to the alternatives, and how customers compare them.',
 'Trace how customer feedback reaches the roadmap: what is collected, how it is weighed against other demands, and what customers are told back.',
 E'Which customer request did you watch turn into a decision, and how?\nWhat evidence about customers was strongest in a roadmap discussion, and what was missing?\nHow do customers learn that we listened?',
 2, 3, 6, 8, 12, 26, 2, false),
('00000000-0000-0000-0000-0000000b0008', 'MARKETING', 'Marketing',
 'Work with the team that shapes what customers expect before they buy.',
 'Understand how expectations and the brand promise are formed in campaigns, content and pricing pages.',
 'See how closely the business units stand behind that promise, and where marketing says something the rest of the company cannot deliver.',
 E'Which promise in our marketing would a customer hold us to first?\nWhere did a business unit hear about a campaign after customers did?\nWhat do we say about ourselves that our own service data contradicts?',
 2, 3, 6, 8, 12, 26, 2, false),
('00000000-0000-0000-0000-0000000b0009', 'DIGITAL', 'Digital & innovation',
 'Work with the teams behind the website, the app and new digital services.',
 'Follow customers through web and app journeys: how they search, where they abandon, what makes them convert.',
 'Learn how UX research is done, how A/B tests are designed and judged, and how behavioural data shapes decisions.',
 E'Where in a journey do customers leave, and what do we think they were trying to do?\nWhich experiment changed your mind about a customer?\nWhat do we measure online that we never connect to what happens offline?',
 2, 3, 6, 8, 12, 26, 2, false),
('00000000-0000-0000-0000-0000000b0010', 'WAREHOUSE', 'Fulfilment & warehouse',
 'Spend time where orders are picked, packed and shipped.',
 'Feel delivery as the customer does: the promised date, the tracking updates, the box at the door and what happens when it is late.',
 'Learn how ordering, shipping and replenishment work, what automation does and does not do, and how suppliers are managed.',
 E'What does the customer see when an order goes wrong, and what do we see?\nWhich delivery promise is the warehouse asked to keep without being asked first?\nWhere would one change in replenishment remove a customer complaint?',
 1, 2, 4, 6, 10, 20, 2, false),
('00000000-0000-0000-0000-0000000b0011', 'EXEC', 'Executive management',
 'Shadow the executive team where budgets and priorities are decided.',
 'Learn how the board and the executives see customers: which numbers they look at, which stories move them, what they never hear.',
 'See how finance, operations, commercial and IT leaders decide and fund things, and the language each of them uses for customer value.',
 E'Which customer number came up in an executive meeting, and what decision did it drive?\nHow would you put a customer problem to the CFO in their own terms?\nWhat customer topic never reached the top table, and why?',
 2, 4, 8, 12, 16, 26, 1, false);
