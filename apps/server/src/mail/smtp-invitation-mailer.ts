import type { InvitationMail, InvitationMailer, Logger } from "@pairpad/api/ports";
import nodemailer, { type Transporter } from "nodemailer";
import type { Counter } from "prom-client";
import { invitationEmail } from "./invitation-email.ts";

export interface SmtpSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`. */
  url: string;
  /** The sender, e.g. `Pairpad <hiring@example.com>`. */
  from: string;
  logger: Logger;
  /** Counts emails by outcome (`sent`, `failed`) for /metrics. */
  outcomes: Counter<"outcome">;
}

/**
 * Invitation emails over SMTP (nodemailer). A failure is logged and counted, never thrown: the
 * invitation stands and its link is shown. Bounded waits, so a silent mail server cannot hold the
 * admin's request for minutes.
 */
export class SmtpInvitationMailer implements InvitationMailer {
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
    this.credentials = [url.password, decodeURIComponent(url.password), url.username]
      .filter((s) => s.length > 0)
      .sort((a, b) => b.length - a.length);
    settings.outcomes.inc({ outcome: "sent" }, 0);
    settings.outcomes.inc({ outcome: "failed" }, 0);
  }

  async send(mail: InvitationMail): Promise<boolean> {
    const { subject, text, html } = invitationEmail(mail);
    try {
      await this.transport.sendMail({ from: this.settings.from, to: mail.to, subject, text, html });
      this.settings.outcomes.inc({ outcome: "sent" });
      return true;
    } catch (error) {
      this.settings.outcomes.inc({ outcome: "failed" });
      const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
      this.settings.logger.warn("invitation email not sent; the link is still shown to the inviter", {
        workspaceId: mail.workspace.id,
        recipientDomain: mail.to.split("@").pop(),
        code: typeof code === "string" ? code : undefined,
        responseCode: typeof responseCode === "number" ? responseCode : undefined,
        reason: this.redact(error instanceof Error ? error.message : String(error), mail),
      });
      return false;
    }
  }

  close(): void {
    this.transport.close();
  }

  /** The mail server's words without the link (its id is the capability), the address or the credentials. */
  private redact(message: string, mail: InvitationMail): string {
    const secrets = [mail.link, mail.link.split("/").pop() ?? "", mail.to, ...this.credentials];
    let redacted = message;
    for (const secret of secrets.filter((s) => s.length > 0)) {
      redacted = redacted.replace(
        new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"),
        "[redacted]",
      );
    }
    return redacted.slice(0, 300);
  }
}
