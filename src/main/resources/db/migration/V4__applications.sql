-- Applications: what runs in an environment, pinned to an image digest. Deletes are soft.
create table applications (
    id                     uuid          primary key,
    company_id             uuid          not null,
    environment_id         uuid          not null references environments (id) on delete restrict,
    name                   varchar(63)   not null,
    image_name             varchar(300)  not null,
    image_ref              varchar(300)  not null,
    image_tag              varchar(128)  not null,
    image_digest           varchar(100)  not null,
    container_registry_id  uuid          references registry_connections (id) on delete restrict,
    container_image_id     uuid          references container_images (id) on delete set null,
    cpu                    integer       not null check (cpu between 1 and 64000),
    memory                 integer       not null check (memory between 16 and 262144),
    storage                integer       not null check (storage between 0 and 1048576),
    hostname               varchar(63)   not null,
    port                   integer       not null check (port between 1 and 65535),
    environment_variables  jsonb         not null default '{}',
    is_deleted             boolean       not null default false,
    created_at             timestamptz   not null,
    updated_at             timestamptz   not null,
    created_by             varchar(255)  not null,
    modified_by            varchar(255)  not null,
    version                bigint        not null
);
-- Hostnames are unique across the platform and stay reserved after a soft delete.
create unique index applications_hostname_uq on applications (hostname);
-- Names are unique among the live applications of an environment.
create unique index applications_env_name_uq on applications (environment_id, name) where not is_deleted;
create index applications_company_env_idx on applications (company_id, environment_id, created_at, id);
create index applications_image_idx on applications (environment_id, image_ref) where not is_deleted;

-- Every version of every application: who changed what, and the state it had.
create table application_versions (
    application_id  uuid          not null references applications (id) on delete cascade,
    version         bigint        not null,
    changed_by      varchar(255)  not null,
    changed_at      timestamptz   not null,
    changes         jsonb         not null,
    snapshot        jsonb         not null,
    primary key (application_id, version)
);
