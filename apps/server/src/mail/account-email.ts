import type { AccountMail } from "@pairpad/api/ports";
import { escapeHtml, htmlEmail, oneLine } from "./invitation-email.ts";

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
      html: htmlEmail([
        `<p>Hello ${escapeHtml(name)},</p>`,
        `<p><a href="${escapeHtml(mail.link)}">Confirm your email address</a>, then sign in to Pairpad.</p>`,
        `<p style="color: #555">The link works once, until ${escapeHtml(until)}. If you did not sign up, ignore this email: no account is usable without it.</p>`,
      ]),
    };
  }
  if (mail.kind === "password-reset") {
    const until = mail.expiresAt.toUTCString();
    return {
      subject: "Reset your Pairpad password",
      text: [
        `Hello ${name},`,
        "",
        "Someone (we hope you) asked to reset the password of your Pairpad account. Open this link to choose a new one:",
        mail.link,
        "",
        `The link works once, until ${until}; setting a new password signs the account out everywhere else.`,
        "If you did not ask for it, ignore this email: your password stays as it is.",
      ].join("\n"),
      html: htmlEmail([
        `<p>Hello ${escapeHtml(name)},</p>`,
        `<p>Someone (we hope you) asked to reset the password of your Pairpad account. <a href="${escapeHtml(mail.link)}">Choose a new password</a>.</p>`,
        `<p style="color: #555">The link works once, until ${escapeHtml(until)}; setting a new password signs the account out everywhere else. If you did not ask for it, ignore this email: your password stays as it is.</p>`,
      ]),
    };
  }
  if (mail.kind === "sso-account") {
    return {
      subject: "Your Pairpad account signs in with single sign-on",
      text: [
        `Hello ${name},`,
        "",
        'Someone asked to reset the password of your Pairpad account. It has no password here: it signs in through your organization\'s single sign-on. Use "Sign in with SSO" on the sign-in page:',
        mail.link,
        "",
        "If you did not ask, ignore this email. Nothing was changed.",
      ].join("\n"),
      html: htmlEmail([
        `<p>Hello ${escapeHtml(name)},</p>`,
        `<p>Someone asked to reset the password of your Pairpad account. It has no password here: it signs in through your organization's single sign-on. Use "Sign in with SSO" on the <a href="${escapeHtml(mail.link)}">sign-in page</a>.</p>`,
        `<p style="color: #555">If you did not ask, ignore this email. Nothing was changed.</p>`,
      ]),
    };
  }
  const reset = mail.reset;
  const resetUntil = reset?.expiresAt.toUTCString() ?? "";
  return {
    subject: "Someone tried to sign up to Pairpad with your address",
    text: [
      `Hello ${name},`,
      "",
      "Someone tried to create a Pairpad account with this email address, which already has one. Nothing was changed.",
      "If it was you, sign in instead:",
      mail.link,
      ...(reset
        ? [
            "",
            "If you do not know the account's password, or did not make this account yourself, set a new password here; it becomes yours and everyone else is signed out of it:",
            reset.link,
            `(The link works once, until ${resetUntil}.)`,
          ]
        : []),
      "",
      "If it was not you, ignore this email.",
    ].join("\n"),
    html: htmlEmail([
      `<p>Hello ${escapeHtml(name)},</p>`,
      "<p>Someone tried to create a Pairpad account with this email address, which already has one. Nothing was changed.</p>",
      `<p>If it was you, <a href="${escapeHtml(mail.link)}">sign in</a> instead. If it was not you, ignore this email.</p>`,
      ...(reset
        ? [
            `<p>If you do not know the account's password, or did not make this account yourself, <a href="${escapeHtml(reset.link)}">set a new password</a>: it becomes yours and everyone else is signed out of it. The link works once, until ${escapeHtml(resetUntil)}.</p>`,
          ]
        : []),
    ]),
  };
}
