-- The competency framework the programme develops: ten seeded competencies (HR edits them), and which
-- tours develop which. Retired competencies stay, so evidence that points at them keeps its meaning.

create table competencies (
    id uuid not null,
    position integer not null,
    name character varying(120) not null,
    description character varying(1000) not null,
    is_retired boolean not null,
    created_at timestamp with time zone not null default (now()),
    constraint pk_competencies primary key (id)
);

create table tour_competencies (
    competency_id uuid not null,
    tour_id uuid not null,
    constraint pk_tour_competencies primary key (competency_id, tour_id),
    constraint fk_tour_competencies_competency_id foreign key (competency_id) references competencies (id) on delete cascade,
    constraint fk_tour_competencies_tour_id foreign key (tour_id) references tours (id) on delete cascade
);
create index ix_tour_competencies_tour_id on tour_competencies (tour_id);

insert into competencies (id, position, name, description, is_retired) values
('00000000-0000-0000-0000-0000000c0001', 1, 'Customer insight and storytelling',
 'Turns what customers say and do into stories that move colleagues to act: picks the telling case, puts a number beside it, and makes the customer present in the room.', false),
('00000000-0000-0000-0000-0000000c0002', 2, 'Business acumen',
 'Connects customer experience to revenue, cost and margin, and argues for it in the language the finance team uses.', false),
('00000000-0000-0000-0000-0000000c0003', 3, 'Mobilising the C-suite',
 'Gets customer topics onto the executive agenda and keeps them there: knows what each executive needs to hear and when.', false),
('00000000-0000-0000-0000-0000000c0004', 4, 'Mobilising peers',
 'Moves departments that do not report to them: finds the shared interest, works through resistance, and makes the first step easy.', false),
('00000000-0000-0000-0000-0000000c0005', 5, 'Building and leading teams',
 'Brings specialists and generalists to one purpose, celebrates progress along the way, and gives the credit to others.', false),
('00000000-0000-0000-0000-0000000c0006', 6, 'Governance and metrics',
 'Sets clear decision rights for customer priorities and puts customer measures on the agenda of every meeting that matters.', false),
('00000000-0000-0000-0000-0000000c0007', 7, 'Results and urgency',
 'Delivers early, visible wins; breaks big ambitions into chunks people can act on this month; prefers action to slogans.', false),
('00000000-0000-0000-0000-0000000c0008', 8, 'Internal engagement',
 'Tells a story about customers that wins hearts inside the company, and markets back to colleagues what their work delivered.', false),
('00000000-0000-0000-0000-0000000c0009', 9, 'Resilience and persistence',
 'Stays effective when plans meet resistance or setbacks; comes back to the work with a better argument rather than a louder one.', false),
('00000000-0000-0000-0000-0000000c0010', 10, 'One-company vocabulary',
 'Knows the terms and KPIs each function lives by, and can say what each of them means for the customer.', false);

-- Which tours develop which competencies (HR changes these with the framework).
insert into tour_competencies (competency_id, tour_id)
select ('00000000-0000-0000-0000-0000000c' || lpad(c::text, 4, '0'))::uuid, ('00000000-0000-0000-0000-0000000b' || lpad(t::text, 4, '0'))::uuid
from (values
    (1, 1), (2, 1), (4, 1), (10, 1),      -- SALES
    (1, 2), (6, 2), (10, 2),              -- SERVICE
    (1, 3), (8, 3), (9, 3),               -- CONTACT
    (7, 4), (9, 4), (10, 4),              -- FIELD
    (2, 5), (4, 5), (10, 5),              -- DEPOT
    (1, 6), (7, 6),                       -- SELF
    (4, 7), (6, 7), (10, 7),              -- PRODUCT
    (1, 8), (8, 8),                       -- MARKETING
    (1, 9), (5, 9), (7, 9),               -- DIGITAL
    (2, 10), (5, 10), (7, 10),            -- WAREHOUSE
    (2, 11), (3, 11), (6, 11)             -- EXEC
) as links(c, t);
