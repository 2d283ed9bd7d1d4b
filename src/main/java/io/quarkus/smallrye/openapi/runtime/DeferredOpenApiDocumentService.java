package io.quarkus.smallrye.openapi.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.smallrye.openapi.runtime.io.Format;

/**
 * Prepares the OpenAPI document ({@code /q/openapi}) when it is first requested instead of while the
 * application starts.
 *
 * <p>Quarkus 3.31 parses the build-time document and serialises it to JSON and YAML during start-up
 * (quarkusio/quarkus#54826): for Berth's document that is 35–60 ms and most of the garbage collections
 * of a native start, a third of the time to the first request a scale-to-zero service waits for. Later
 * Quarkus versions prepare it lazily again (quarkusio/quarkus#55538); this class does the same for the
 * version Berth is built with and is to be deleted with the upgrade that brings that change.
 *
 * <p>It lives in the extension's package because the start-up hook it defers,
 * {@code prepareDocument}, and the configuration it reads are package-private. That works only where
 * one class loader defines the application and the extension — the packaged jar and the native
 * executable, the production builds, the only ones it is active in (dev and test mode load the two
 * through different class loaders and prepare the document at start-up, as Quarkus does). The
 * integration tests run it (OperationsIT). The document served is unchanged: the first
 * request of each document runs Quarkus' own preparation once (others wait for it), later requests
 * read the prepared bytes.
 */
@Alternative
@Priority(1)
@ApplicationScoped
@Unremovable // looked up by Quarkus' recorder and handler, never injected
@IfBuildProfile("prod")
public class DeferredOpenApiDocumentService extends OpenApiDocumentService {

    /** Preparations recorded at start-up, by document name, until the document is first requested. */
    private final Map<String, Runnable> pending = new ConcurrentHashMap<>();

    @Override
    void prepareDocument(AutoSecurityFilter autoSecurityFilter, List<String> runtimeFilters, String documentName) {
        pending.put(documentName, () -> super.prepareDocument(autoSecurityFilter, runtimeFilters, documentName));
    }

    @Override
    public byte[] getDocument(String documentName, Format format) {
        Runnable preparation = pending.get(documentName);
        if (preparation != null) {
            synchronized (this) {
                // Removed only after the preparation ran: a reader that no longer finds it pending
                // sees the prepared document.
                if (pending.containsKey(documentName)) {
                    preparation.run();
                    pending.remove(documentName);
                }
            }
        }
        return super.getDocument(documentName, format);
    }
}
