package io.berth.testsupport;

/**
 * The test registries, started once per test JVM and stopped when it exits: anonymous, htpasswd
 * Basic auth, token auth (with its token server), and TLS with a certificate nobody trusts.
 */
public final class Registries {

    public static final TokenServer TOKENS = new TokenServer();
    public static final RegistryServer ANONYMOUS = new RegistryServer(RegistryServer.Mode.ANONYMOUS, null);
    public static final RegistryServer BASIC = new RegistryServer(RegistryServer.Mode.BASIC, null);
    public static final RegistryServer TOKEN = new RegistryServer(RegistryServer.Mode.TOKEN, TOKENS);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ANONYMOUS.close();
            BASIC.close();
            TOKEN.close();
            TOKENS.close();
        }));
    }

    private Registries() {
    }

    public static ImagePusher pusher(RegistryServer registry) {
        return new ImagePusher(registry, TOKENS);
    }
}
