-- Auto-update policy and engine state of a tracked image.
alter table container_images
    add column update_strategy      varchar(20)  not null default 'SEMVER',
    add column min_tag_age_minutes  integer      not null default 0,
    -- when the scheduler checks the image next (null: as soon as possible)
    add column next_check_at        timestamptz,
    -- a replica that claimed the check holds it until then; an expired lease is free again
    add column lease_until          timestamptz,
    -- checks that failed in a row, for the back-off
    add column consecutive_failures integer      not null default 0,
    add column last_rollout_at      timestamptz,
    -- a candidate waiting for minTagAgeMinutes
    add column pending_tag          varchar(128),
    add column pending_digest       varchar(100),
    add column pending_eligible_at  timestamptz;
create index container_images_due_idx on container_images (next_check_at nulls first) where auto_update;
