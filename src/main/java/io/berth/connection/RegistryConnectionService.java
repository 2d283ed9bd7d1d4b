package io.berth.connection;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.api.ErrorCode;
import io.berth.api.Page;
import io.berth.api.PageRequest;
import io.berth.api.Preconditions;
import io.berth.connection.RegistryConnectionDtos.ConnectionTestResult;
import io.berth.connection.RegistryConnectionDtos.RegistryConnectionCreate;
import io.berth.connection.RegistryConnectionDtos.RegistryConnectionView;
import io.berth.connection.RegistryConnectionDtos.TagList;
import io.berth.crypto.SecretCipher;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.registry.RegistryHost;
import io.berth.persistence.References;
import io.berth.security.Caller;

/**
 * Registry connections: names unique per company, addresses normalized and checked against the
 * internal-address policy, secrets encrypted before they reach the database and decrypted only to
 * talk to the registry. Registry calls happen outside database transactions.
 */
@ApplicationScoped
public class RegistryConnectionService {

    static final int DEFAULT_REFRESH_MINUTES = 30;

    private final RegistryConnectionRepository connections;
    private final SecretCipher cipher;
    private final RegistryClient registry;
    private final References references;

    public RegistryConnectionService(RegistryConnectionRepository connections, SecretCipher cipher, RegistryClient registry,
            References references) {
        this.connections = connections;
        this.cipher = cipher;
        this.registry = registry;
        this.references = references;
    }

    /** One page of the company's registry connections as views (no secrets), creation order. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<RegistryConnectionView> list(Caller caller, PageRequest page) {
        return connections.page(page, null, RegistryConnectionRepository.CREATION_ORDER).map(c -> view(caller, c));
    }

    /** @throws ApiException 404 for an unknown connection or another company's */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RegistryConnection get(Caller caller, UUID id) {
        return connections.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Registry connection " + id));
    }

    /**
     * The connection to reach {@code image}'s registry with, named by a client in {@code field}: it
     * must be one of the caller's and point at the image's registry, else 400 naming the field.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    RegistryConnection forImage(Caller caller, UUID id, ImageReference image, String field) {
        RegistryConnection c = connections.findByIdOptional(id).orElseThrow(() -> ApiException.validation(field,
                "No registry connection " + id + " exists in your company.",
                "List your connections with GET /api/registries, or create one with POST /api/registries."));
        if (!c.registryUrl.equals(image.registry())) {
            throw ApiException.validation(field, "Registry connection \"" + c.name + "\" is for " + c.registryUrl
                    + ", but the image is on " + image.registry() + ".",
                    "Use a connection whose registryUrl is " + image.registry() + ".");
        }
        return c;
    }

    /** The wire view: hasPassword/hasToken instead of secrets, and how many container images use it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RegistryConnectionView view(Caller caller, RegistryConnection c) {
        return view(c, references.count(RegistryConnection.class, c.id, "container images"));
    }

    private static RegistryConnectionView view(RegistryConnection c, long images) {
        return new RegistryConnectionView(c.id, c.name, c.type, c.registryUrl, c.username, c.passwordEncrypted != null,
                c.tokenEncrypted != null, c.webhookSecretEncrypted != null, c.insecure, c.refreshIntervalMinutes, images,
                c.createdAt, c.updatedAt, c.createdBy, c.modifiedBy, c.version);
    }

    /**
     * Stores a connection with its secrets encrypted; registryUrl normalized to host[:port] (the
     * type's default host when absent) and checked against the internal-address policy.
     *
     * @throws ApiException 409 when the name is taken; 400 for a refused registryUrl or a secret
     *                      without a username
     */
    @Transactional
    public RegistryConnectionView create(Caller caller, RegistryConnectionCreate request) {
        RegistryConnection c = new RegistryConnection();
        c.ownBy(caller.subject());
        c.name = request.name();
        requireUniqueName(caller, c.name, null);
        c.type = request.type() == null ? RegistryType.GENERIC : request.type();
        c.insecure = Boolean.TRUE.equals(request.insecure());
        c.registryUrl = registryUrl(request.registryUrl(), c.type, c.insecure);
        c.username = emptyToNull(request.username());
        c.passwordEncrypted = encrypt(caller, "password", request.password());
        c.tokenEncrypted = encrypt(caller, "token", request.token());
        c.refreshIntervalMinutes = request.refreshIntervalMinutes() == null ? DEFAULT_REFRESH_MINUTES
                : request.refreshIntervalMinutes();
        requireUsernameWithSecret(c);
        connections.persist(c);
        connections.flush();
        return view(c, 0); // no image can use a connection that did not exist: no count, no second connection
    }

    /**
     * A PATCH as the service takes it: the whole connection after the merge patch (bound and
     * validated as a creation body), and whether the patch sent {@code password} / {@code token}:
     * write-only secrets are not in the view, so absent keeps the stored one, null or "" clears it.
     */
    public record Update(RegistryConnectionCreate target, boolean passwordSent, boolean tokenSent) {
    }

    /**
     * Stores a PATCH in one transaction: reads the connection once, checks If-Match, lets
     * {@code merge} compute the {@link Update} from its view, writes the columns that changed and
     * answers the new view (issue 15: no read outside the transaction, one connection). registryUrl
     * is normalized and checked again when it or insecure changes.
     *
     * @throws ApiException 404; 409 when If-Match is not the current version or the new name is
     *                      taken; 400 for a refused registryUrl or a secret without a username, or
     *                      whatever {@code merge} throws
     */
    @Transactional
    public RegistryConnectionView patch(Caller caller, UUID id, Preconditions preconditions,
            Function<RegistryConnectionView, Update> merge) {
        RegistryConnection c = connections.findByIdForUpdate(id, "Registry connection");
        preconditions.check(c.version);
        long images = references.count(RegistryConnection.class, c.id, "container images"); // a PATCH cannot change it
        Update update = merge.apply(view(c, images));
        RegistryConnectionCreate target = update.target();
        if (!target.name().equalsIgnoreCase(c.name)) {
            requireUniqueName(caller, target.name(), id);
        }
        c.name = target.name();
        c.type = target.type();
        boolean insecureChanged = target.insecure() != c.insecure;
        c.insecure = target.insecure();
        if (insecureChanged || !target.registryUrl().equals(c.registryUrl)) {
            c.registryUrl = registryUrl(target.registryUrl(), c.type, c.insecure);
        }
        c.username = emptyToNull(target.username());
        if (update.passwordSent()) {
            c.passwordEncrypted = encrypt(caller, "password", target.password());
        }
        if (update.tokenSent()) {
            c.tokenEncrypted = encrypt(caller, "token", target.token());
        }
        c.refreshIntervalMinutes = target.refreshIntervalMinutes();
        requireUsernameWithSecret(c);
        c.touchBy(caller.subject());
        connections.flush();
        return view(c, images);
    }

    /** @throws ApiException 404; 409 for a stale If-Match, or while images or applications use it */
    @Transactional
    public void delete(Caller caller, UUID id, Preconditions preconditions) {
        RegistryConnection c = connections.findByIdForUpdate(id, "Registry connection");
        preconditions.check(c.version);
        connections.deleteUnreferenced(c, "registry connection");
    }

    /** The registry handshake with the stored credentials; a failure says which step failed. */
    public ConnectionTestResult test(Caller caller, UUID id) {
        RegistryConnection c = get(caller, id);
        RegistryAuth auth = auth(caller, c);
        long started = System.nanoTime();
        String failedStep = null;
        String message;
        try {
            registry.ping(c.registryUrl, auth);
            message = auth.hasCredentials() ? "Authenticated with " + c.registryUrl + "."
                    : "Reached " + c.registryUrl + " anonymously.";
        } catch (RegistryException e) {
            failedStep = switch (e.kind()) {
                case REFUSED_TARGET -> "target";
                case UNREACHABLE, TIMEOUT -> "connect";
                case TLS -> "tls";
                case CREDENTIALS_REJECTED, DENIED -> "credentials";
                default -> "registry";
            };
            message = e.getMessage();
        }
        var limits = registry.rateLimit(new RegistryHost(c.registryUrl).apiHost());
        return new ConnectionTestResult(failedStep == null, failedStep, message, c.registryUrl,
                (System.nanoTime() - started) / 1_000_000, limits == null ? null : limits.limit(),
                limits == null ? null : limits.remaining());
    }

    /** Every tag of a repository in this registry. */
    public TagList tags(Caller caller, UUID id, String repository) {
        RegistryConnection c = get(caller, id);
        if (repository == null || repository.isEmpty()) {
            throw ApiException.validation("repository", "The query parameter repository is required.",
                    "Name a repository of this registry, e.g. ?repository=org/app.");
        }
        String path = repository;
        if (path.toLowerCase(Locale.ROOT).startsWith(c.registryUrl + "/")) {
            path = path.substring(c.registryUrl.length() + 1);
        }
        ImageReference ref;
        try {
            ref = ImageReference.inRegistry(c.registryUrl, path);
        } catch (ImageReference.InvalidReferenceException e) {
            throw ApiException.validation("repository", e.getMessage(), e.hint());
        }
        try {
            var tags = registry.tags(ref, auth(caller, c));
            return new TagList(ref.familiarName(), tags.size(), tags);
        } catch (RegistryException e) {
            throw RegistryErrors.toApi(e, "repository", "id");
        }
    }

    /** How to reach a connection's registry: its decrypted credentials and transport. */
    RegistryAuth auth(Caller caller, RegistryConnection c) {
        String secret = c.tokenEncrypted != null ? cipher.decrypt(c.tokenEncrypted, context(caller, "token"))
                : cipher.decrypt(c.passwordEncrypted, context(caller, "password"));
        return new RegistryAuth(c.username, secret, c.insecure);
    }

    private String registryUrl(String input, RegistryType type, boolean insecure) {
        String value = input == null || input.isEmpty() ? type.defaultHost() : input;
        if (value == null) {
            throw ApiException.validation("registryUrl", "registryUrl is required for a generic registry.",
                    "Give host[:port], e.g. registry.example.com:5000.");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://")) {
            if (!insecure) {
                throw ApiException.validation("registryUrl", "Plain HTTP is allowed only for insecure connections.",
                        "Use https, or set \"insecure\": true for a registry on a trusted network.");
            }
            value = value.substring(7);
        } else if (lower.startsWith("https://")) {
            value = value.substring(8);
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.contains("/")) {
            throw ApiException.validation("registryUrl", "registryUrl is a host[:port] without a path.",
                    "Put repository paths in image names, not in the registry URL.");
        }
        String host;
        try {
            host = ImageReference.normalizeHost(value);
        } catch (ImageReference.InvalidReferenceException e) {
            throw ApiException.validation("registryUrl", e.getMessage(), "Give host[:port], e.g. ghcr.io.");
        }
        try {
            registry.checkTarget(host);
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.REFUSED_TARGET) {
                throw RegistryErrors.toApi(e, "registryUrl", "registryUrl");
            }
            // an unresolvable host may come up later: the connection test will say so
        }
        return host;
    }

    private String encrypt(Caller caller, String field, String secret) {
        return secret == null || secret.isEmpty() ? null : cipher.encrypt(secret, context(caller, field));
    }

    private static String context(Caller caller, String field) {
        return RegistryConnection.secretContext(caller.companyId(), field);
    }

    private static void requireUsernameWithSecret(RegistryConnection c) {
        if ((c.passwordEncrypted != null || c.tokenEncrypted != null) && c.username == null) {
            throw ApiException.validation("username", "A username is required with a password or token.",
                    "Registries authenticate a secret together with its user name (any non-empty name for most tokens).");
        }
    }

    private void requireUniqueName(Caller caller, String name, UUID except) {
        if (connections.nameTaken(name, except)) {
            throw new ApiException(ErrorCode.CONFLICT, "A registry connection named \"" + name + "\" already exists.",
                    "name", "Choose another name, or update the existing connection.");
        }
    }

    /** A PATCH clears the user name with null, or with "" as it may for secrets; "" is never stored. */
    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
