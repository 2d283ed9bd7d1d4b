package io.berth.registry;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses registry and token hosts on loopback, link-local (cloud metadata included), private,
 * shared (CGNAT) and unspecified addresses unless allow-listed, so a registry URL or a realm cannot
 * be used to reach internal services (SSRF). Webhook targets are held to the same rules.
 */
public final class HostPolicy {

    private final List<String> allowedNames = new ArrayList<>();
    private final List<byte[][]> allowedRanges = new ArrayList<>(); // {network, mask}

    /** @param allowed host names, addresses or CIDR ranges that may be internal */
    public HostPolicy(List<String> allowed) {
        for (String entry : allowed) {
            String value = entry.trim().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                continue;
            }
            int slash = value.indexOf('/');
            if (slash > 0 || isLiteralAddress(value)) {
                allowedRanges.add(range(slash > 0 ? value.substring(0, slash) : value,
                        slash > 0 ? Integer.parseInt(value.substring(slash + 1)) : -1));
            } else {
                allowedNames.add(value);
            }
        }
    }

    /**
     * @param host a host name or address, without port
     * @throws RegistryException REFUSED_TARGET for an internal address not allowed, UNREACHABLE
     *         when the name does not resolve
     */
    public void check(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (allowedNames.contains(name)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new RegistryException(RegistryException.Kind.UNREACHABLE, "Cannot resolve host " + host + ".");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address) && !isAllowed(address)) {
                throw new RegistryException(RegistryException.Kind.REFUSED_TARGET, "Host " + host
                        + " resolves to an internal address (" + address.getHostAddress() + "), which is not allowed.");
            }
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) // "this network", CGNAT
                    || (first == 198 && (second == 18 || second == 19)); // benchmarking
        }
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return false;
    }

    private boolean isAllowed(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (byte[][] range : allowedRanges) {
            byte[] network = range[0];
            byte[] mask = range[1];
            if (network.length != bytes.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < bytes.length && match; i++) {
                match = (bytes[i] & mask[i]) == (network[i] & mask[i]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLiteralAddress(String value) {
        return value.matches("[0-9.]+") || value.contains(":");
    }

    private static byte[][] range(String address, int prefix) {
        try {
            byte[] network = InetAddress.getByName(address).getAddress();
            int bits = prefix < 0 ? network.length * 8 : prefix;
            byte[] mask = new byte[network.length];
            for (int i = 0; i < mask.length; i++) {
                int remaining = Math.max(0, Math.min(8, bits - i * 8));
                mask[i] = (byte) (0xff << (8 - remaining));
            }
            return new byte[][] { network, mask };
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("berth.registry.allowed-private-hosts: bad address " + address, e);
        }
    }
}
