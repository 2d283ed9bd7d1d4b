-- Environments: one company's deployment targets. Names are unique per company, ignoring case.
create table environments (
    id          uuid         primary key,
    company_id  uuid         not null,
    name        varchar(50)  not null,
    description varchar(500),
    tier        varchar(20)  not null check (tier in ('DEVELOPMENT', 'STAGING', 'PRODUCTION')),
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    created_by  varchar(255) not null,
    modified_by varchar(255) not null,
    version     bigint       not null
);
create unique index environments_company_name_uq on environments (company_id, lower(name));
create index environments_company_created_idx on environments (company_id, created_at, id);

-- Idempotency keys, shared by every replica. The primary key settles concurrent first uses.
create table idempotency_keys (
    caller_key        varchar(400)  not null,
    idempotency_key   varchar(200)  not null,
    fingerprint       varchar(64)   not null,
    state             varchar(16)   not null check (state in ('IN_PROGRESS', 'DONE')),
    response_status   integer,
    response_body     text,
    response_location varchar(2048),
    response_etag     varchar(100),
    created_at        timestamptz   not null,
    expires_at        timestamptz   not null,
    primary key (caller_key, idempotency_key)
);
create index idempotency_keys_expires_idx on idempotency_keys (expires_at);
