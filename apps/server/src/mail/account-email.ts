import type { AccountMail } from "@pairpad/api/ports";
import { escapeHtml, oneLine } from "./invitation-email.ts";

/** The subject and bodies (plain text and HTML) of an account email. */
export function accountEmail(mail: AccountMail): { subject: string; text: string; html: string } {
  const name = oneLine(mail.name);
  if (mail.kind === "verification") {
    const until = mail.expiresAt.toUTCString();
    return {
      subject: "Confirm your email address for Pairpad",
      text: [
        `Hello ${name},`,
        "",
        "Open this link to confirm your email address, then sign in to Pairpad:",
        mail.link,
        "",
        `The link works once, until ${until}. If you did not sign up, ignore this email: no account is usable without it.`,
      ].join("\n"),
      html: `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5">
<p>Hello ${escapeHtml(name)},</p>
<p><a href="${escapeHtml(mail.link)}">Confirm your email address</a>, then sign in to Pairpad.</p>
<p style="color: #555">The link works once, until ${escapeHtml(until)}. If you did not sign up, ignore this email: no account is usable without it.</p>
</body></html>`,
    };
  }
  return {
    subject: "Someone tried to sign up to Pairpad with your address",
    text: [
      `Hello ${name},`,
      "",
      "Someone tried to create a Pairpad account with this email address, which already has one. Nothing was changed.",
      "If it was you, sign in instead:",
      mail.link,
      "",
      "If it was not you, ignore this email.",
    ].join("\n"),
    html: `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5">
<p>Hello ${escapeHtml(name)},</p>
<p>Someone tried to create a Pairpad account with this email address, which already has one. Nothing was changed.</p>
<p>If it was you, <a href="${escapeHtml(mail.link)}">sign in</a> instead. If it was not you, ignore this email.</p>
</body></html>`,
  };
}
