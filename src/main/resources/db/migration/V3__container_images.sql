-- Container images tracked per environment: a repository, a tag filter, and what the registry
-- last said about the best matching tag.
create table container_images (
    id                     uuid          primary key,
    company_id             uuid          not null,
    environment_id         uuid          not null references environments (id) on delete restrict,
    name                   varchar(100)  not null,
    image_name             varchar(300)  not null,
    image_ref              varchar(300)  not null,
    tag_filter             varchar(255)  not null,
    registry_connection_id uuid          references registry_connections (id) on delete restrict,
    auto_update            boolean       not null default false,
    best_tag               varchar(128),
    latest_digest          varchar(100),
    update_available       boolean       not null default false,
    exposed_ports          jsonb         not null default '[]',
    platforms              jsonb         not null default '[]',
    last_checked_at        timestamptz,
    last_check_error       varchar(1000),
    created_at             timestamptz   not null,
    updated_at             timestamptz   not null,
    created_by             varchar(255)  not null,
    modified_by            varchar(255)  not null,
    version                bigint        not null
);
-- One tracked image per repository per environment (image_ref is the normalized host/path).
create unique index container_images_env_ref_uq on container_images (environment_id, image_ref);
create index container_images_company_env_idx on container_images (company_id, environment_id, created_at, id);
create index container_images_connection_idx on container_images (registry_connection_id);

-- What check-updates found over time: the best tag and its digest each time either changed.
create table container_image_digests (
    id             bigserial     primary key,
    image_id       uuid          not null references container_images (id) on delete cascade,
    tag            varchar(128)  not null,
    digest         varchar(100)  not null,
    discovered_at  timestamptz   not null
);
create index container_image_digests_image_idx on container_image_digests (image_id, discovered_at desc);
