import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Adapter, type AdapterPayload } from "oidc-provider";

/** Someone the test's identity provider knows, by the login typed into its sign-in form. */
export interface IdentityAccount {
  login: string;
  email: string;
  name: string;
}

/**
 * A real OpenID Connect provider (`oidc-provider`, with its development sign-in and consent forms)
 * on a loopback port, for single sign-on tests.
 */
export async function startIdentityProvider(accounts: IdentityAccount[]) {
  let handle: ReturnType<Provider["callback"]> | undefined;
  const server = createServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The provider's state in memory, by model; clients are registered here once Pairpad's port is known.
  const models = new Map<string, Map<string, AdapterPayload>>();
  const store = (name: string) => {
    const rows = models.get(name) ?? new Map<string, AdapterPayload>();
    models.set(name, rows);
    return rows;
  };
  const provider = new Provider(issuer, {
    adapter: (name: string): Adapter => {
      const rows = store(name);
      const where = (match: (payload: AdapterPayload) => boolean) => [...rows.values()].find(match);
      return {
        upsert: async (id, payload) => void rows.set(id, payload),
        find: async (id) => rows.get(id),
        findByUid: async (uid) => where((p) => p.uid === uid),
        findByUserCode: async (code) => where((p) => p.userCode === code),
        consume: async (id) => {
          const row = rows.get(id);
          if (row) row.consumed = Math.floor(Date.now() / 1000);
        },
        destroy: async (id) => void rows.delete(id),
        revokeByGrantId: async (grantId) => {
          for (const [id, p] of rows) if (p.grantId === grantId) rows.delete(id);
        },
      };
    },
    findAccount: (_ctx, id: string) => {
      const account = accounts.find((a) => a.login === id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, email: account.email, email_verified: true, name: account.name }),
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: ["identity-provider-test-cookie-key"] },
    features: { devInteractions: { enabled: true } },
  });
  // Its warnings about development-only features are expected here.
  provider.on("server_error", (_ctx: unknown, error: Error) => console.error("identity provider:", error));
  handle = provider.callback();
  return {
    issuer,
    /** Registers a confidential client for one redirect URI (the relying party's callback). */
    registerClient(client: { clientId: string; clientSecret: string; redirectUri: string }) {
      store("Client").set(client.clientId, {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What a browser does: keeps cookies per origin, follows redirects, and submits the forms it is
 * shown with the values given (by input name).
 */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookieFor(url: string): string {
    const cookies = this.jar.get(new URL(url).origin) ?? new Map();
    return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieFor(url);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    const origin = new URL(url).origin;
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(origin, cookies);
    return response;
  }

  /**
   * Follows redirects from `url`; on a page with a form, submits it with `fill` (input name → value)
   * over its hidden inputs. Stops at the first answer that is neither, or before a redirect to a
   * URL `stopBefore` picks (a page of the app, which the test inspects itself).
   */
  async navigate(
    url: string,
    fill: (form: { action: string; fields: Record<string, string> }) => Record<string, string>,
    stopBefore: (url: URL) => boolean = () => false,
  ): Promise<{ url: string; response: Response; visited: string[] }> {
    const visited: string[] = [];
    let current = url;
    let init: RequestInit = {};
    for (let step = 0; step < 20; step++) {
      visited.push(current);
      const response = await this.request(current, init);
      init = {};
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, current);
        if (stopBefore(next)) return { url: next.toString(), response, visited };
        current = next.toString();
        continue;
      }
      const type = response.headers.get("content-type") ?? "";
      if (!type.includes("text/html")) return { url: current, response, visited };
      const html = await response.text();
      const form = html.match(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i);
      if (!form) return { url: current, response: new Response(html, response), visited };
      const fields: Record<string, string> = {};
      for (const input of (form[2] ?? "").matchAll(/<input\b[^>]*>/gi)) {
        const name = input[0].match(/name="([^"]*)"/)?.[1];
        const value = input[0].match(/value="([^"]*)"/)?.[1] ?? "";
        if (name) fields[name] = value;
      }
      const action = new URL(decodeEntities(form[1] ?? ""), current).toString();
      const body = new URLSearchParams({ ...fields, ...fill({ action, fields }) });
      current = action;
      init = {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      };
    }
    throw new Error(`too many steps: ${visited.join(" → ")}`);
  }
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&#x2F;/gi, "/")
    .replace(/&#47;/g, "/");
}
