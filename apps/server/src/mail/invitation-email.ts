import type { InvitationMail } from "@pairpad/api/ports";

export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** Names are people's text: one line each in a header, whatever they typed. */
export const oneLine = (value: string) => value.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ").trim();

/** An email's HTML body: its paragraphs (markup, values already escaped) in one plain document. */
export const htmlEmail = (paragraphs: string[]) =>
  `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5">
${paragraphs.join("\n")}
</body></html>`;

/** The subject and bodies (plain text and HTML) of an invitation email. */
export function invitationEmail(mail: InvitationMail): { subject: string; text: string; html: string } {
  const workspace = oneLine(mail.workspace.name);
  const inviter = oneLine(mail.invitedBy);
  const until = mail.expiresAt.toUTCString();
  const subject = `${inviter} invited you to ${workspace} on Pairpad`;
  const text = [
    `${inviter} invited you to join the workspace “${workspace}” on Pairpad as ${mail.role}.`,
    "",
    "Open this link, then sign up or sign in with this email address to join:",
    mail.link,
    "",
    `The invitation is valid until ${until}. If you did not expect it, ignore this email.`,
  ].join("\n");
  const html = htmlEmail([
    `<p>${escapeHtml(inviter)} invited you to join the workspace <strong>${escapeHtml(workspace)}</strong> on Pairpad as ${escapeHtml(mail.role)}.</p>`,
    `<p><a href="${escapeHtml(mail.link)}">Open the invitation</a>, then sign up or sign in with this email address to join.</p>`,
    `<p style="color: #555">The invitation is valid until ${escapeHtml(until)}. If you did not expect it, ignore this email.</p>`,
  ]);
  return { subject, text, html };
}
