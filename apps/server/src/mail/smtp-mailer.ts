import type {
  AccountMail,
  AccountMailer,
  InvitationMail,
  InvitationMailer,
  Logger,
} from "@pairpad/api/ports";
import nodemailer, { type Transporter } from "nodemailer";
import type { Counter } from "prom-client";
import { accountEmail } from "./account-email.ts";
import { invitationEmail } from "./invitation-email.ts";
import type { RecipientBudget, RecipientDecision } from "./recipient-budget.ts";

export interface SmtpSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`. */
  url: string;
  /** The sender, e.g. `Pairpad <hiring@example.com>`. */
  from: string;
  logger: Logger;
  /** Counts invitation emails by outcome (`sent`, `failed`) for /metrics. */
  outcomes: Counter<"outcome">;
  /** Counts account emails by kind and outcome (`sent`, `failed`, `suppressed`) for /metrics. */
  accountOutcomes: Counter<"kind" | "outcome">;
  /** Account emails one address may be sent an hour; unset: no such limit. */
  recipientBudget?: RecipientBudget;
}

/**
 * Invitation and account emails over SMTP (nodemailer). A failure is logged and counted, never
 * thrown: the invitation stands and its link is shown; a sign-up answers the same either way.
 * Bounded waits, so a silent mail server cannot hold a request for minutes.
 */
export class SmtpMailer implements InvitationMailer, AccountMailer {
  private readonly transport: Transporter;
  /** What must never reach a log line: the URL's credentials. */
  private readonly credentials: string[];

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      url: settings.url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    const url = new URL(settings.url);
    this.credentials = [url.password, decodeURIComponent(url.password), url.username].filter(
      (s) => s.length > 0,
    );
    settings.outcomes.inc({ outcome: "sent" }, 0);
    settings.outcomes.inc({ outcome: "failed" }, 0);
    for (const kind of ["verification", "existing-account", "password-reset", "sso-account"]) {
      settings.accountOutcomes.inc({ kind, outcome: "sent" }, 0);
      settings.accountOutcomes.inc({ kind, outcome: "failed" }, 0);
      settings.accountOutcomes.inc({ kind, outcome: "suppressed" }, 0);
    }
  }

  async send(mail: InvitationMail): Promise<boolean> {
    const sent = await this.deliver(mail.to, invitationEmail(mail), [mail.link, mail.link.split("/").pop()]);
    this.settings.outcomes.inc({ outcome: sent === true ? "sent" : "failed" });
    if (sent !== true) {
      this.settings.logger.warn("invitation email not sent; the link is still shown to the inviter", {
        workspaceId: mail.workspace.id,
        ...sent,
      });
    }
    return sent === true;
  }

  async sendAccountMail(mail: AccountMail): Promise<boolean> {
    if (!(await this.withinRecipientBudget(mail))) return false;
    // A link's token is the capability: it, like the address, stays out of the log.
    const links = [mail.link, mail.kind === "existing-account" ? mail.reset?.link : undefined];
    const tokens = links.map((link) => (link ? new URL(link).searchParams.get("token") : null));
    const sent = await this.deliver(mail.to, accountEmail(mail), [...links, ...tokens]);
    this.settings.accountOutcomes.inc({ kind: mail.kind, outcome: sent === true ? "sent" : "failed" });
    if (sent !== true) this.settings.logger.warn("account email not sent", { kind: mail.kind, ...sent });
    return sent === true;
  }

  /**
   * Whether the address may be sent one more account email this hour. Past the budget the email is
   * dropped without a word to the asker (the answer is the same either way), counted, and logged once
   * for the address's hour, without the address.
   */
  private async withinRecipientBudget(mail: AccountMail): Promise<boolean> {
    const budget = this.settings.recipientBudget;
    if (!budget) return true;
    let decision: RecipientDecision;
    try {
      decision = await budget.take(mail.to);
    } catch (error) {
      // The owner's link matters more than the cap; the per-client limit in front of the endpoint held.
      this.settings.logger.warn("account email budget unavailable; sending anyway", {
        kind: mail.kind,
        error: error instanceof Error ? error.message : String(error),
      });
      return true;
    }
    if (decision === "send") return true;
    this.settings.accountOutcomes.inc({ kind: mail.kind, outcome: "suppressed" });
    if (decision === "suppress-first") {
      this.settings.logger.warn(
        "account emails to one address past the hourly budget; the rest of its hour is not sent",
        { kind: mail.kind },
      );
    }
    return false;
  }

  close(): void {
    this.transport.close();
  }

  /** True, or what went wrong in words fit for a log line. */
  private async deliver(
    to: string,
    content: { subject: string; text: string; html: string },
    secrets: Array<string | null | undefined>,
  ): Promise<true | Record<string, unknown>> {
    try {
      await this.transport.sendMail({ from: this.settings.from, to, ...content });
      return true;
    } catch (error) {
      const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
      return {
        recipientDomain: to.split("@").pop(),
        code: typeof code === "string" ? code : undefined,
        responseCode: typeof responseCode === "number" ? responseCode : undefined,
        reason: this.redact(error instanceof Error ? error.message : String(error), [to, ...secrets]),
      };
    }
  }

  /** The mail server's words without the link, the address or the credentials. */
  private redact(message: string, secrets: Array<string | null | undefined>): string {
    let redacted = message;
    const all = [...secrets, ...this.credentials]
      .filter((s): s is string => !!s && s.length > 0)
      .sort((a, b) => b.length - a.length);
    for (const secret of all) {
      redacted = redacted.replace(
        new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"),
        "[redacted]",
      );
    }
    return redacted.slice(0, 300);
  }
}
