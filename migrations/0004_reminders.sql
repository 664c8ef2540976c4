-- Reminders: the inbox (notifications), the email outbox, per-person email opt-outs, the reminder
-- settings (one row) and the first cut of reflections (what the reminder chain needs to know).
-- A notification is unique per (kind, recipient, stint, occurrence): the database, not the job, is what
-- makes a reminder exactly-once across retries and nodes.

create table reminder_settings (
    id integer not null,
    upcoming_first_days integer not null,
    upcoming_second_days integer not null,
    midpoint_min_weeks integer not null,
    overdue_days integer not null,
    escalation_days integer not null,
    send_hour integer not null,
    digest_day character varying(10) not null,
    updated_at timestamp with time zone not null default (now()),
    updated_by_id uuid,
    constraint pk_reminder_settings primary key (id),
    constraint ck_reminder_settings_offsets check (upcoming_first_days between 1 and 90 and upcoming_second_days between 0 and 90 and midpoint_min_weeks between 1 and 52 and overdue_days between 1 and 90 and escalation_days between 1 and 180),
    constraint ck_reminder_settings_send_hour check (send_hour between 0 and 23),
    constraint ck_reminder_settings_singleton check (id = 1),
    constraint fk_reminder_settings_updated_by_id foreign key (updated_by_id) references people (id) on delete set null
);
create index ix_reminder_settings_updated_by_id on reminder_settings (updated_by_id);

create table reflections (
    stint_id uuid not null,
    created_at timestamp with time zone not null default (now()),
    submitted_at timestamp with time zone,
    constraint pk_reflections primary key (stint_id),
    constraint fk_reflections_stint_id foreign key (stint_id) references stints (id) on delete cascade
);

create table notifications (
    id uuid not null,
    recipient_id uuid not null,
    kind character varying(32) not null,
    stint_id uuid,
    occurrence date not null,
    due_at timestamp with time zone not null,
    created_at timestamp with time zone not null default (now()),
    read_at timestamp with time zone,
    dropped_at timestamp with time zone,
    drop_reason character varying(300),
    body text,
    constraint pk_notifications primary key (id),
    constraint fk_notifications_recipient_id foreign key (recipient_id) references people (id) on delete cascade,
    constraint fk_notifications_stint_id foreign key (stint_id) references stints (id) on delete cascade
);
create unique index ix_notifications_kind_recipient_id_stint_id_occurrence on notifications (kind, recipient_id, stint_id, occurrence) nulls not distinct;
create index ix_notifications_recipient_id on notifications (recipient_id) where read_at is null and dropped_at is null;
create index ix_notifications_recipient_id_created_at on notifications (recipient_id, created_at);
create index ix_notifications_stint_id on notifications (stint_id);

create table email_outbox (
    id uuid not null,
    kind character varying(32) not null,
    notification_id uuid,
    recipient_id uuid not null,
    to_address character varying(256) not null,
    message_id character varying(200) not null,
    status character varying(16) not null,
    attempts integer not null,
    next_attempt_at timestamp with time zone not null,
    locked_until timestamp with time zone,
    last_error character varying(2000),
    created_at timestamp with time zone not null default (now()),
    sent_at timestamp with time zone,
    constraint pk_email_outbox primary key (id),
    constraint fk_email_outbox_notification_id foreign key (notification_id) references notifications (id) on delete cascade,
    constraint fk_email_outbox_recipient_id foreign key (recipient_id) references people (id) on delete cascade
);
create unique index ix_email_outbox_message_id on email_outbox (message_id);
create index ix_email_outbox_next_attempt_at on email_outbox (next_attempt_at) where status = 'Pending';
create unique index ix_email_outbox_notification_id on email_outbox (notification_id);
create index ix_email_outbox_recipient_id on email_outbox (recipient_id);
create index ix_email_outbox_status_created_at on email_outbox (status, created_at);

create table email_opt_outs (
    person_id uuid not null,
    kind character varying(32) not null,
    constraint pk_email_opt_outs primary key (person_id, kind),
    constraint fk_email_opt_outs_person_id foreign key (person_id) references people (id) on delete cascade
);

insert into reminder_settings (id, upcoming_first_days, upcoming_second_days, midpoint_min_weeks, overdue_days, escalation_days, send_hour, digest_day)
values (1, 14, 1, 4, 7, 14, 9, 'Monday');
