package io.berth.persistence;

import java.util.UUID;

import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.AbstractClassJavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The company column as Hibernate's tenant id: a canonical UUID string in Java (what the Quarkus
 * {@code TenantResolver} returns, which Hibernate compares with and writes into the
 * {@code @TenantId} attribute as is), a PostgreSQL {@code uuid} in the database. A UUID-typed
 * attribute would not work: Hibernate neither converts the resolver's string nor accepts it for a
 * UUID (persist fails with "assigned tenant id differs", the tenant filter cannot bind it).
 */
@RegisterForReflection // instantiated by Hibernate by reflection (named in @JavaType)
public class CompanyIdJavaType extends AbstractClassJavaType<String> {

    public CompanyIdJavaType() {
        super(String.class);
    }

    @Override
    public JdbcType getRecommendedJdbcType(JdbcTypeIndicators indicators) {
        return indicators.getJdbcType(SqlTypes.UUID);
    }

    @Override
    public String toString(String value) {
        return value;
    }

    @Override
    public String fromString(CharSequence text) {
        return UUID.fromString(text.toString()).toString();
    }

    @Override
    public <X> X unwrap(String value, Class<X> type, WrapperOptions options) {
        if (value == null) {
            return null;
        }
        if (type.isAssignableFrom(UUID.class)) {
            return type.cast(UUID.fromString(value));
        }
        if (type.isAssignableFrom(String.class)) {
            return type.cast(value);
        }
        throw unknownUnwrap(type);
    }

    @Override
    public <X> String wrap(X value, WrapperOptions options) {
        if (value == null) {
            return null;
        }
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        if (value instanceof String text) {
            return fromString(text);
        }
        throw unknownWrap(value.getClass());
    }
}
