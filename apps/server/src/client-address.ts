import proxyaddr from "proxy-addr";

/**
 * The client's address, the key of every per-client limit (runs, sessions created, event streams,
 * sign-in attempts). Behind a load balancer every request comes from the balancer, so all users
 * would share one key; when the connection comes from a trusted proxy (`TRUSTED_PROXIES`), the
 * address is the nearest untrusted one in `X-Forwarded-For` instead. Only trusted hops are
 * believed: a client that writes its own `X-Forwarded-For` gets nowhere, as the balancer appends
 * the address it saw and that one is not trusted.
 */
export type ClientAddress = (peer: string | undefined, forwardedFor: string | null) => string;

/**
 * `trusted`: addresses, CIDR ranges and proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`).
 * None: the connection's own address, whatever headers say. Throws on a malformed entry.
 */
export function clientAddressResolver(trusted: readonly string[]): ClientAddress {
  if (trusted.length === 0) return (peer) => peer ?? "unknown";
  const trust = proxyaddr.compile([...trusted]);
  return (peer, forwardedFor) => {
    if (!peer) return "unknown";
    // proxy-addr reads a Node request; only these two fields of it.
    const request = {
      connection: { remoteAddress: peer },
      socket: { remoteAddress: peer },
      headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
    };
    return proxyaddr(request as never, trust);
  };
}

/** `TRUSTED_PROXIES` as a list; each entry is checked (a typo must stop the server, not trust everyone). */
export function parseTrustedProxies(value: string): string[] {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  proxyaddr.compile(entries);
  return entries;
}
