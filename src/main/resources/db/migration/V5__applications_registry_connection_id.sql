-- One name for the registry-connection foreign key in the schema, as in container_images. The API
-- keeps the contract's name for applications (source.containerRegistryId); it is the same id.
alter table applications rename column container_registry_id to registry_connection_id;
alter table applications rename constraint applications_container_registry_id_fkey
    to applications_registry_connection_id_fkey;
