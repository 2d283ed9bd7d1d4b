-- Approval gates (issue 13). An environment's autoUpdatePolicy decides what auto-update does with
-- a candidate: AUTO rolls it out, APPROVE proposes it as a pending update, OFF leaves it.
-- Existing environments get the default new ones get: APPROVE for production, AUTO otherwise
-- (a production environment gains a gate rather than keeping unattended rollouts).
alter table environments add column auto_update_policy varchar(20);
update environments set auto_update_policy = case when tier = 'PRODUCTION' then 'APPROVE' else 'AUTO' end;
alter table environments alter column auto_update_policy set not null;
alter table environments add constraint environments_auto_update_policy_ck
    check (auto_update_policy in ('AUTO', 'APPROVE', 'OFF'));

-- A proposed move of one application to a candidate image, waiting for a person's decision.
create table pending_updates (
    id                  uuid          primary key,
    company_id          uuid          not null,
    environment_id      uuid          not null references environments (id) on delete cascade,
    application_id      uuid          not null references applications (id) on delete cascade,
    container_image_id  uuid          references container_images (id) on delete set null,
    image_name          varchar(300)  not null,
    from_tag            varchar(128)  not null,
    from_digest         varchar(100)  not null,
    to_tag              varchar(128)  not null,
    to_digest           varchar(100)  not null,
    status              varchar(20)   not null check (status in ('PENDING', 'APPROVED', 'REJECTED', 'SUPERSEDED')),
    decided_at          timestamptz,
    decided_by          varchar(255),
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null,
    created_by          varchar(255)  not null,
    modified_by         varchar(255)  not null,
    version             bigint        not null
);
-- At most one pending update per application: a newer candidate supersedes the older one, and two
-- checks racing to propose cannot both succeed.
create unique index pending_updates_one_pending_uq on pending_updates (application_id) where status = 'PENDING';
create index pending_updates_env_idx on pending_updates (company_id, environment_id, created_at, id);
-- A rejected candidate is never proposed again for the same application.
create index pending_updates_rejected_idx on pending_updates (application_id, to_digest) where status = 'REJECTED';
