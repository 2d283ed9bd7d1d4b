-- Registry connections. Secrets are AES-256-GCM ciphertexts "v1:<key-id>:<base64>", never plain.
create table registry_connections (
    id                       uuid          primary key,
    company_id               uuid          not null,
    name                     varchar(100)  not null,
    type                     varchar(20)   not null check (type in ('DOCKERHUB', 'GHCR', 'GITLAB', 'QUAY', 'GENERIC')),
    registry_url             varchar(255)  not null,
    username                 varchar(255),
    password_enc             varchar(4096),
    token_enc                varchar(8192),
    insecure                 boolean       not null default false,
    refresh_interval_minutes integer       not null check (refresh_interval_minutes between 5 and 1440),
    created_at               timestamptz   not null,
    updated_at               timestamptz   not null,
    created_by               varchar(255)  not null,
    modified_by              varchar(255)  not null,
    version                  bigint        not null
);
create unique index registry_connections_company_name_uq on registry_connections (company_id, lower(name));
create index registry_connections_company_created_idx on registry_connections (company_id, created_at, id);
