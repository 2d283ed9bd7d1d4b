package io.berth.application;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.berth.persistence.TenantOwnedEntity;

/** An application in an environment, running one image pinned to a digest. */
// Only the columns a change touched are written (issue 15): a PATCH of one field is an UPDATE of that
// field, version and updated_at, not of every column.
@DynamicUpdate
@Entity
@Table(name = "applications")
public class Application extends TenantOwnedEntity {

    @Column(name = "environment_id", nullable = false, updatable = false)
    public UUID environmentId;

    @Column(nullable = false, length = 63)
    public String name;

    /** As the client wrote it: nginx, ghcr.io/org/app. */
    @Column(name = "image_name", nullable = false, length = 300)
    public String imageName;

    /** Normalized repository: docker.io/library/nginx. */
    @Column(name = "image_ref", nullable = false, length = 300)
    public String imageRef;

    @Column(name = "image_tag", nullable = false, length = 128)
    public String imageTag;

    /** The digest the tag had when the image was validated: what actually runs. */
    @Column(name = "image_digest", nullable = false, length = 100)
    public String imageDigest;

    @Column(name = "registry_connection_id")
    public UUID registryConnectionId;

    @Column(name = "container_image_id")
    public UUID containerImageId;

    @Column(nullable = false)
    public int cpu;

    @Column(nullable = false)
    public int memory;

    @Column(nullable = false)
    public int storage;

    @Column(nullable = false, updatable = false, length = 63)
    public String hostname;

    @Column(nullable = false)
    public int port;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "environment_variables", nullable = false)
    public Map<String, String> environmentVariables = new LinkedHashMap<>();

    @Column(name = "is_deleted", nullable = false)
    public boolean deleted;
}
