package io.berth.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.berth.persistence.TenantOwnedEntity;

/** A webhook subscription: where the company's change events are POSTed, signed with its secret. */
// Only the columns a change touched are written (issue 15): a PATCH of one field is an UPDATE of that
// field, version and updated_at, not of every column.
@DynamicUpdate
@Entity
@Table(name = "webhooks")
public class Webhook extends TenantOwnedEntity {

    @Column(nullable = false, length = 2000)
    public String url;

    /** The Standard Webhooks secret ({@code whsec_<base64>}), encrypted; never returned. */
    @Column(name = "secret_enc", nullable = false, length = 1024)
    public String secretEncrypted;

    /** CloudEvents types delivered; empty: all. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> types = new ArrayList<>();

    @Column(nullable = false)
    public boolean active = true;

    @Column(nullable = false)
    public boolean failing;

    /** Binds the secret's ciphertext to its company, so it cannot be replayed elsewhere. */
    static String secretContext(UUID company) {
        return company + ":webhook:secret";
    }

    @Override
    public String toString() {
        return "Webhook[" + id + ", " + url + "]"; // never the secret
    }
}
