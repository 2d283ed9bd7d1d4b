package io.berth.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.ApiException;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.api.Preconditions;
import io.berth.crypto.SecretCipher;
import io.berth.event.EventType;
import io.berth.persistence.DbTime;
import io.berth.registry.HostPolicy;
import io.berth.registry.RegistryException;
import io.berth.security.Caller;
import io.berth.webhook.WebhookDtos.AttemptView;
import io.berth.webhook.WebhookDtos.DeliveryView;
import io.berth.webhook.WebhookDtos.WebhookCreate;

/**
 * Webhook subscriptions: the URL checked like a registry's (HTTPS unless allow-listed, no internal
 * address unless allow-listed), the secret checked for the Standard Webhooks form and stored
 * encrypted, the types checked against those Berth emits.
 */
@ApplicationScoped
public class WebhookService {

    private static final Set<String> TYPES = Arrays.stream(EventType.values()).map(EventType::type)
            .collect(Collectors.toCollection(LinkedHashSet::new));

    private final WebhookRepository webhooks;
    private final SecretCipher cipher;
    private final WebhookConfig config;
    private final HostPolicy policy;
    private final EntityManager em;

    public WebhookService(WebhookRepository webhooks, SecretCipher cipher, WebhookConfig config, EntityManager em) {
        this.webhooks = webhooks;
        this.cipher = cipher;
        this.config = config;
        this.em = em;
        this.policy = new HostPolicy(config.allowedPrivateHosts().orElse(List.of()));
    }

    /** One page of the company's subscriptions, creation order. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Webhook> list(Caller caller, PageRequest page) {
        return webhooks.page(page, null, WebhookRepository.CREATION_ORDER);
    }

    /** @throws ApiException 404 for an unknown subscription or another company's */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Webhook get(Caller caller, UUID id) {
        return webhooks.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Webhook " + id));
    }

    /**
     * Checks the target before anything is stored (outside any transaction: it resolves the host).
     *
     * @throws ApiException 400 naming url, secret or types
     */
    public void validate(WebhookCreate request, boolean secretRequired) {
        checkUrl(request.url());
        checkSecretAndTypes(request, secretRequired);
    }

    /** The rules of {@link #validate} that need no network: the secret's form and the event types. */
    private static void checkSecretAndTypes(WebhookCreate request, boolean secretRequired) {
        if (request.secret() != null || secretRequired) {
            try {
                WebhookSignature.key(request.secret());
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("secret", "secret " + e.getMessage() + ".",
                        "Use the Standard Webhooks form: whsec_ followed by base64 of 24 to 64 random bytes, e.g. "
                                + "whsec_$(openssl rand -base64 32).");
            }
        }
        if (request.types() != null) {
            for (String type : request.types()) {
                if (!TYPES.contains(type)) {
                    throw ApiException.validation("types", "Unknown event type \"" + type + "\".",
                            "Use one of: " + String.join(", ", TYPES) + ".");
                }
            }
        }
    }

    /** Stores a validated subscription ({@link #validate} first), its secret encrypted. */
    @Transactional
    public Webhook create(Caller caller, WebhookCreate request) {
        Webhook w = new Webhook();
        w.ownBy(caller.subject());
        apply(caller, w, request);
        webhooks.persist(w);
        webhooks.flush();
        return w;
    }

    /**
     * Checks the url a PATCH sends (it resolves the host, so before any transaction); a PATCH
     * without url leaves the stored one, which every delivery checks again anyway.
     *
     * @throws ApiException 400 naming url
     */
    public void validatePatchUrl(JsonNode patch) {
        JsonNode url = patch.get("url");
        if (url != null && url.isTextual()) {
            checkUrl(url.asText());
        }
    }

    /**
     * Stores a PATCH in one transaction: reads the subscription once, checks If-Match, lets
     * {@code merge} compute the whole subscription after the merge patch from it, checks the
     * secret and types, and writes the columns that changed (issue 15: no read outside the
     * transaction, one connection). The url was checked by {@link #validatePatchUrl} if it was sent.
     * A secret absent from the patch keeps the stored one.
     *
     * @throws ApiException 404; 409 when If-Match is not the current version; 400 for the secret or
     *                      types, or whatever {@code merge} throws
     */
    @Transactional
    public Webhook patch(Caller caller, UUID id, Preconditions preconditions, Function<Webhook, WebhookCreate> merge) {
        Webhook w = webhooks.findByIdForUpdate(id, "Webhook");
        preconditions.check(w.version);
        WebhookCreate target = merge.apply(w);
        checkSecretAndTypes(target, false);
        // the url differs from the stored one only when the patch sent it, and validatePatchUrl checked that
        apply(caller, w, target);
        w.touchBy(caller.subject());
        webhooks.flush();
        return w;
    }

    /** @throws ApiException 404; 409 for a stale If-Match */
    @Transactional
    public void delete(Caller caller, UUID id, Preconditions preconditions) {
        Webhook w = webhooks.findByIdForUpdate(id, "Webhook");
        preconditions.check(w.version);
        webhooks.delete(w);
    }

    /** The subscription's deliveries, newest event first, each with its attempts. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<DeliveryView> deliveries(Caller caller, UUID id, PageRequest page) {
        Webhook w = get(caller, id);
        long total = ((Number) em.createNativeQuery("select count(*) from webhook_deliveries where webhook_id = ?1")
                .setParameter(1, w.id).getSingleResult()).longValue();
        if (page.limit() == 0) {
            return new Page<>(List.of(), total, 0, page.offset());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select event_id, position, status, next_attempt_at, finished_at"
                + " from webhook_deliveries where webhook_id = ?1 order by position desc")
                .setParameter(1, w.id).setFirstResult(page.offset()).setMaxResults(page.limit()).getResultList();
        List<DeliveryView> items = new ArrayList<>();
        for (Object[] row : rows) {
            String eventId = (String) row[0];
            String status = ((String) row[2]).toLowerCase(Locale.ROOT);
            items.add(new DeliveryView(eventId, ((Number) row[1]).longValue(), status,
                    "pending".equals(status) ? DbTime.of(row[3]) : null, DbTime.of(row[4]), attempts(w.id, eventId)));
        }
        return new Page<>(items, total, page.limit(), page.offset());
    }

    private List<AttemptView> attempts(UUID webhook, String eventId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select attempt, attempted_at, status_code, duration_ms, error"
                + " from webhook_attempts where webhook_id = ?1 and event_id = ?2 order by attempt")
                .setParameter(1, webhook).setParameter(2, eventId).getResultList();
        return rows.stream().map(r -> new AttemptView(((Number) r[0]).intValue(), DbTime.of(r[1]),
                r[2] == null ? null : ((Number) r[2]).intValue(), ((Number) r[3]).longValue(), (String) r[4])).toList();
    }

    private void apply(Caller caller, Webhook w, WebhookCreate request) {
        w.url = request.url();
        if (request.secret() != null) {
            w.secretEncrypted = cipher.encrypt(request.secret(), Webhook.secretContext(caller.companyId()));
        }
        w.types = request.types() == null ? new ArrayList<>() : new ArrayList<>(new LinkedHashSet<>(request.types()));
        w.active = request.active() == null || request.active();
    }

    /**
     * The target rules, checked when a subscription is stored and before every delivery: an
     * absolute http(s) URL without user info; HTTPS unless its host[:port] or host is one of
     * berth.webhooks.insecure-hosts; a host that does not resolve to an internal address unless
     * allow-listed (berth.webhooks.allowed-private-hosts).
     *
     * @throws ApiException 400 naming url
     */
    URI checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.validation("url", "url is not a valid URL: " + e.getReason() + ".", null);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ApiException.validation("url", "url must be an absolute https URL.", "e.g. https://hooks.example.com/berth");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.validation("url", "url must not carry credentials.",
                    "The secret signs every delivery; the receiver verifies the webhook-signature header.");
        }
        List<String> insecure = config.insecureHosts().orElse(List.of());
        String hostAndPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        if (scheme.equals("http") && !insecure.contains(uri.getHost()) && !insecure.contains(hostAndPort)) {
            throw ApiException.validation("url", "url must use https.",
                    "Plain HTTP is allowed only for hosts in berth.webhooks.insecure-hosts.");
        }
        try {
            policy.check(uri.getHost());
        } catch (RegistryException e) {
            throw ApiException.validation("url", e.getMessage(),
                    "Receivers on internal addresses must be listed in berth.webhooks.allowed-private-hosts.");
        }
        return uri;
    }
}
