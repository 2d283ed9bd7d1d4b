-- Registry webhooks in (io.berth.hook): a registry tells Berth that something was pushed.

-- The secret a registry authenticates its notifications with (bearer token, URL token or HMAC key),
-- encrypted like the connection's other secrets; null until POST /api/registries/{id}/webhook-secret.
alter table registry_connections add column webhook_secret_enc varchar(1024);

-- A notification is only a hint: one row per pushed repository:tag, written in the request's
-- transaction (so a 202 survives a restart), claimed by any replica like scheduled checks
-- (FOR UPDATE SKIP LOCKED + lease), confirmed with a HEAD at the registry, then deleted.
create table registry_hook_hints (
    id               bigserial     primary key,
    company_id       uuid          not null,
    connection_id    uuid          not null references registry_connections (id) on delete cascade,
    source           varchar(20)   not null,
    repository       varchar(300)  not null,
    tag              varchar(128)  not null,
    -- what the notification said; the HEAD decides
    digest           varchar(100),
    received_at      timestamptz   not null default now(),
    attempts         integer       not null default 0,
    next_attempt_at  timestamptz   not null default now(),
    lease_until      timestamptz
);
create index registry_hook_hints_due_idx on registry_hook_hints (next_attempt_at);
create index registry_hook_hints_connection_idx on registry_hook_hints (connection_id);

-- The digest each pushed tag had when its hint was last confirmed: the same digest again is nothing
-- to do (deduplication across notifications, registries' retries and replays).
create table registry_hook_digests (
    connection_id  uuid          not null references registry_connections (id) on delete cascade,
    repository     varchar(300)  not null,
    tag            varchar(128)  not null,
    digest         varchar(100)  not null,
    seen_at        timestamptz   not null,
    primary key (connection_id, repository, tag)
);
create index registry_hook_digests_seen_idx on registry_hook_digests (seen_at);

-- Set when a confirmed hint made the image due: a scheduled check that was already running (claimed
-- before the push) must not push the next check back by a whole interval; see AutoUpdater.release.
alter table container_images add column hinted_at timestamptz;
