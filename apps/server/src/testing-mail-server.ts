import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface MailServerOptions {
  /** The credentials it asks for (AUTH PLAIN/LOGIN). */
  user: string;
  password: string;
  /** Recipients it refuses (550), as a real server refuses an unknown mailbox. */
  refuse?: string[];
}

/**
 * A real SMTP server (smtp-server, from the nodemailer project) on a loopback port, for invitation
 * email tests: what it accepts, parsed (mailparser).
 */
export async function startMailServer(options: MailServerOptions) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS certificate to trust, AUTH allowed without TLS.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password)
        callback(null, { user: options.user });
      else callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address))
        callback(new Error(`Mailbox ${address.address} unavailable`));
      else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    /** SMTP_URL for a server that sends through this one. */
    url: `smtp://${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}@127.0.0.1:${port}`,
    received,
    /** The emails to an address, oldest first. */
    to: (address: string) =>
      received.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : "") === address),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The invitation link in an email's text. */
export const inviteLinkIn = (mail: ParsedMail): string =>
  mail.text?.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)?.[0] ?? "";
