package io.berth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.berth.application.Application;
import io.berth.application.ApplicationRepository;
import io.berth.connection.RegistryConnection;
import io.berth.connection.RegistryConnectionRepository;
import io.berth.connection.RegistryType;
import io.berth.environment.Environment;
import io.berth.environment.EnvironmentRepository;
import io.berth.environment.Tier;
import io.berth.image.ContainerImage;
import io.berth.image.ContainerImageRepository;
import io.berth.update.PendingUpdate;
import io.berth.update.PendingUpdateRepository;
import io.berth.webhook.Webhook;
import io.berth.webhook.WebhookRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Tenant isolation is the ORM's, not each query's: every Panache entry point of every repository,
 * used as company B, neither sees nor changes company A's rows (against the real PostgreSQL).
 * B's own rows are the positive control: the same calls do find, count, change and delete those,
 * so with the tenant filter off (e.g. a resolver whose every tenant is "root") this test fails.
 */
@QuarkusTest
class TenantIsolationTest {

    @Inject
    Tenancy tenancy;
    @Inject
    EnvironmentRepository environments;
    @Inject
    RegistryConnectionRepository connections;
    @Inject
    ContainerImageRepository images;
    @Inject
    ApplicationRepository applications;
    @Inject
    WebhookRepository webhooks;
    @Inject
    PendingUpdateRepository pendingUpdates;
    @Inject
    EntityManager em;

    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    /**
     * One entity type: its table, entity name, repository and a valid new row, given the ids (by table)
     * of the rows it may refer to, all of one company.
     */
    record Kind<E extends TenantOwnedEntity>(String table, String entity, TenantScopedRepository<E> repository,
            Function<Map<String, UUID>, E> fresh) {
    }

    @Test
    void noPanacheEntryPointReachesAnotherCompanysRows() {
        List<Kind<?>> kinds = List.of( // dependants first, so that deleteAll meets no foreign key
                new Kind<>("pending_updates", "PendingUpdate", pendingUpdates, TenantIsolationTest::pendingUpdate),
                new Kind<>("webhooks", "Webhook", webhooks, ids -> webhook()),
                new Kind<>("applications", "Application", applications, ids -> application(ids.get("environments"))),
                new Kind<>("container_images", "ContainerImage", images, ids -> image(ids.get("environments"))),
                new Kind<>("registry_connections", "RegistryConnection", connections, ids -> connection()),
                new Kind<>("environments", "Environment", environments, ids -> environment()));
        Map<String, UUID> victims = rowsOf(a, kinds);
        Map<String, UUID> owns = rowsOf(b, kinds);

        for (Kind<?> kind : kinds) {
            attack(kind, victims.get(kind.table()), owns);
        }
        for (Kind<?> kind : kinds) { // B's bulk delete of everything takes B's row only
            assertEquals(1, as(b, () -> kind.repository().deleteAll()), kind.table());
        }

        for (Kind<?> kind : kinds) {
            UUID victim = victims.get(kind.table());
            assertEquals(List.of("t"), natively("select modified_by from " + kind.table() + " where company_id = ?1", a),
                    kind.table() + ": A's row is unchanged and alone");
            assertEquals(List.of(), natively("select modified_by from " + kind.table() + " where company_id = ?1", b),
                    kind.table() + ": B's rows went with B's deleteAll");
            assertNotNull(as(a, () -> kind.repository().findById(victim)), kind.table() + ": A still sees its row");
        }
    }

    private <E extends TenantOwnedEntity> void attack(Kind<E> kind, UUID victim, Map<String, UUID> owns) {
        TenantScopedRepository<E> repo = kind.repository();
        String what = kind.table();
        UUID own = owns.get(what);

        // reads
        assertNull(as(b, () -> repo.findById(victim)), what + " findById");
        assertNotNull(as(b, () -> repo.findById(own)), what + " findById of B's own row");
        assertTrue(as(b, () -> repo.findByIdOptional(victim)).isEmpty(), what + " findByIdOptional");
        assertEquals(List.of(), as(b, () -> repo.find("id", victim).list()), what + " find");
        assertNull(as(b, () -> repo.find("id = ?1", victim).firstResult()), what + " find.firstResult");
        assertEquals(List.of(own), as(b, () -> ids(repo.findAll().list())), what + " findAll");
        assertEquals(List.of(), as(b, () -> repo.list("id", victim)), what + " list");
        assertEquals(List.of(own), as(b, () -> ids(repo.listAll())), what + " listAll");
        assertEquals(0L, as(b, () -> repo.stream("id", victim).count()), what + " stream");
        assertEquals(List.of(own), as(b, () -> repo.streamAll().map(e -> e.id).toList()), what + " streamAll");
        assertEquals(1L, as(b, () -> repo.count()), what + " count");
        assertEquals(0L, as(b, () -> repo.count("id", victim)), what + " count(query)");
        assertEquals(List.of(), as(b, () -> repo.getEntityManager()
                .createQuery("select e.id from " + kind.entity() + " e where e.id = ?1")
                .setParameter(1, victim).getResultList()), what + " HQL through the entity manager");

        // writes
        assertEquals(0, as(b, () -> repo.update("modifiedBy = ?1 where id = ?2", "attacker", victim)), what + " update");
        assertEquals(1, as(b, () -> repo.update("modifiedBy = ?1", "t")), what + " update of all rows: B's only");
        assertFalse(as(b, () -> repo.deleteById(victim)), what + " deleteById");
        assertEquals(0L, as(b, () -> repo.delete("id", victim)), what + " delete(query)");
        E detached = as(a, () -> repo.findById(victim));
        attempt(() -> as(b, () -> { // Hibernate refuses to remove a detached entity; either way A's row stays
            repo.delete(detached);
            repo.flush();
            return null;
        }));
        assertEquals(1L, countOf(kind, a), what + " delete of A's (detached) entity");

        E forged = kind.fresh().apply(owns);
        setCompany(forged, a);
        assertThrows(RuntimeException.class, () -> as(b, () -> {
            repo.persist(forged);
            repo.flush();
            return null;
        }), what + " persist of a row carrying A's company");
        assertEquals(1L, countOf(kind, a), what + ": A still has exactly its one row");
    }

    // ---- fixtures ---------------------------------------------------------------------

    /** One row of each kind for the company, created as that company, referred-to rows first; table to id. */
    private Map<String, UUID> rowsOf(UUID company, List<Kind<?>> kinds) {
        return as(company, () -> {
            Map<String, UUID> ids = new LinkedHashMap<>();
            List<Kind<?>> parentsFirst = new ArrayList<>(kinds);
            Collections.reverse(parentsFirst);
            for (Kind<?> kind : parentsFirst) {
                ids.put(kind.table(), persist(kind, ids));
                environments.flush();
            }
            assertEquals(company, environments.findById(ids.get("environments")).companyId(),
                    "Hibernate writes the session's company into new rows");
            return ids;
        });
    }

    private static <E extends TenantOwnedEntity> UUID persist(Kind<E> kind, Map<String, UUID> ids) {
        E entity = kind.fresh().apply(ids);
        kind.repository().persist(entity);
        return entity.id;
    }

    private static Environment environment() {
        Environment e = owned(new Environment());
        e.name = "env-" + UUID.randomUUID();
        e.tier = Tier.DEVELOPMENT;
        return e;
    }

    private static Webhook webhook() {
        Webhook w = owned(new Webhook());
        w.url = "https://hooks.example.com/" + UUID.randomUUID();
        w.secretEncrypted = "v1:test:not-a-real-ciphertext";
        return w;
    }

    private static RegistryConnection connection() {
        RegistryConnection c = owned(new RegistryConnection());
        c.name = "conn-" + UUID.randomUUID();
        c.type = RegistryType.GENERIC;
        c.registryUrl = "registry.example.com";
        c.refreshIntervalMinutes = 30;
        return c;
    }

    private static ContainerImage image(UUID environment) {
        ContainerImage i = owned(new ContainerImage());
        i.environmentId = environment;
        i.name = "image";
        i.imageName = "nginx-" + UUID.randomUUID();
        i.imageRef = "docker.io/library/" + i.imageName;
        i.tagFilter = "latest";
        return i;
    }

    private static Application application(UUID environment) {
        Application app = owned(new Application());
        app.environmentId = environment;
        app.name = "app";
        app.imageName = "nginx";
        app.imageRef = "docker.io/library/nginx";
        app.imageTag = "latest";
        app.imageDigest = "sha256:" + "0".repeat(64);
        app.cpu = 250;
        app.memory = 256;
        app.hostname = "iso-" + UUID.randomUUID().toString().substring(0, 20);
        app.port = 8080;
        return app;
    }

    private static PendingUpdate pendingUpdate(Map<String, UUID> ids) {
        PendingUpdate p = owned(new PendingUpdate());
        p.environmentId = ids.get("environments");
        p.applicationId = ids.get("applications");
        p.imageName = "docker.io/library/nginx";
        p.fromTag = "1.0";
        p.fromDigest = "sha256:" + "0".repeat(64);
        p.toTag = "1.1";
        p.toDigest = "sha256:" + "1".repeat(64);
        return p;
    }

    private static <E extends TenantOwnedEntity> E owned(E entity) {
        entity.ownBy("t");
        return entity;
    }

    /** What no production code can do: put another company into an entity (the field has no setter). */
    private static void setCompany(TenantOwnedEntity entity, UUID company) {
        try {
            Field field = TenantOwnedEntity.class.getDeclaredField("company");
            field.setAccessible(true);
            field.set(entity, company.toString());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- units of work ----------------------------------------------------------------

    /** {@code work} in its own transaction, with sessions of {@code company}. */
    private <T> T as(UUID company, Supplier<T> work) {
        return tenancy.callAs(company, () -> QuarkusTransaction.requiringNew().call(work::get));
    }

    /** Native SQL as the system: not filtered by tenant, so it sees what is really stored. */
    private List<?> natively(String sql, UUID company) {
        return tenancy.callAsSystem(() -> em.createNativeQuery(sql).setParameter(1, company).getResultList());
    }

    private long countOf(Kind<?> kind, UUID company) {
        return ((Number) natively("select count(*) from " + kind.table() + " where company_id = ?1", company).get(0))
                .longValue();
    }

    private static void attempt(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException refused) {
            // refused is fine; what counts is the row afterwards
        }
    }

    private static List<UUID> ids(List<? extends TenantOwnedEntity> rows) {
        return rows.stream().map(e -> e.id).toList();
    }
}
