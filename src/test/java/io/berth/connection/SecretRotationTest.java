package io.berth.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.berth.crypto.CryptoConfig;
import io.berth.crypto.SecretCipher;
import io.berth.testsupport.TestConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** After the active key changes, stored secrets move to it and still decrypt to the same value. */
@QuarkusTest
@TestProfile(SecretRotationTest.Rotated.class)
class SecretRotationTest {

    static final String RETIRED = Base64.getEncoder().encodeToString("retired-key-retired-key-retired!".getBytes());

    public static class Rotated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.crypto.keys", "old:" + RETIRED + ",test1:" + TestConfig.CRYPTO_KEY,
                    "berth.crypto.active-key", "test1");
        }
    }

    @Inject
    EntityManager em;
    @Inject
    SecretRotation rotation;
    @Inject
    SecretCipher cipher;

    @Test
    void secretsUnderARetiredKeyAreReencrypted() {
        UUID company = UUID.randomUUID();
        SecretCipher old = new SecretCipher(new CryptoConfig() {
            @Override
            public String keys() {
                return "old:" + RETIRED;
            }

            @Override
            public String activeKey() {
                return "old";
            }
        });
        String context = RegistryConnection.secretContext(company, "password");
        String hookContext = RegistryConnection.secretContext(company, WebhookSecrets.FIELD);
        UUID id = insert(company, old.encrypt("the-password", context), old.encrypt("bhk_the-hook-secret", hookContext));

        rotation.reencryptStale();

        Object[] stored = (Object[]) em.createNativeQuery("select password_enc, webhook_secret_enc from registry_connections"
                + " where id = ?1").setParameter(1, id).getSingleResult();
        assertTrue(((String) stored[0]).startsWith("v1:test1:"), (String) stored[0]);
        assertEquals("the-password", cipher.decrypt((String) stored[0], context));
        assertTrue(((String) stored[1]).startsWith("v1:test1:"), (String) stored[1]);
        assertEquals("bhk_the-hook-secret", cipher.decrypt((String) stored[1], hookContext));
    }

    @Transactional
    UUID insert(UUID company, String passwordCiphertext, String hookSecretCiphertext) {
        UUID id = UUID.randomUUID();
        em.createNativeQuery("insert into registry_connections (id, company_id, name, type, registry_url, username,"
                + " password_enc, webhook_secret_enc, insecure, refresh_interval_minutes, created_at, updated_at, created_by,"
                + " modified_by, version)"
                + " values (?1, ?2, 'old', 'GENERIC', 'registry.example.com', 'u', ?3, ?5, false, 30, ?4, ?4, 't', 't', 1)")
                .setParameter(1, id).setParameter(2, company).setParameter(3, passwordCiphertext)
                .setParameter(5, hookSecretCiphertext)
                .setParameter(4, OffsetDateTime.now()).executeUpdate();
        return id;
    }
}
