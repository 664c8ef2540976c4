-- At most one active (not revoked) calendar feed per person and per tour: two first visits at once,
-- or two renewals at once, cannot leave two live secret addresses behind.
drop index ix_calendar_feeds_person_id;
drop index ix_calendar_feeds_tour_id;
create unique index ix_calendar_feeds_person_id on calendar_feeds (person_id) where revoked_at is null;
create unique index ix_calendar_feeds_tour_id on calendar_feeds (tour_id) where revoked_at is null;
