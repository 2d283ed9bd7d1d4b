-- Webhook subscriptions and their deliveries. A delivery row is made for every matching active
-- subscription when an event is sequenced (same transaction), so each event reaches each
-- subscription at least once; only the oldest pending delivery of a subscription is attempted,
-- so a subscription receives its events in feed order.
create table webhooks (
    id                 uuid           primary key,
    company_id         uuid           not null,
    url                varchar(2000)  not null,
    secret_enc         varchar(1024)  not null,
    types              jsonb          not null default '[]',
    active             boolean        not null default true,
    -- set when a delivery was given up after berth.webhooks.max-age; cleared by the next success
    failing            boolean        not null default false,
    created_at         timestamptz    not null,
    updated_at         timestamptz    not null,
    created_by         varchar(255)   not null,
    modified_by        varchar(255)   not null,
    version            bigint         not null
);
create index webhooks_company_idx on webhooks (company_id, created_at, id);

create table webhook_deliveries (
    webhook_id         uuid           not null references webhooks (id) on delete cascade,
    event_id           varchar(40)    not null references events (id) on delete cascade,
    position           bigint         not null,
    status             varchar(20)    not null default 'PENDING',   -- PENDING, DELIVERED, FAILED
    attempts           integer        not null default 0,
    next_attempt_at    timestamptz    not null default now(),
    -- a replica that claimed the attempt holds it until then; an expired lease is free again
    lease_until        timestamptz,
    first_attempt_at   timestamptz,
    finished_at        timestamptz,
    primary key (webhook_id, event_id)
);
create index webhook_deliveries_pending_idx on webhook_deliveries (webhook_id, position) where status = 'PENDING';
create index webhook_deliveries_list_idx on webhook_deliveries (webhook_id, position desc);

create table webhook_attempts (
    webhook_id         uuid           not null,
    event_id           varchar(40)    not null,
    attempt            integer        not null,
    attempted_at       timestamptz    not null,
    status_code        integer,                 -- null when no answer came
    duration_ms        integer        not null,
    error              varchar(500),
    primary key (webhook_id, event_id, attempt),
    foreign key (webhook_id, event_id) references webhook_deliveries (webhook_id, event_id) on delete cascade
);
