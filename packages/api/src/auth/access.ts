import { createAccessControl } from "better-auth/plugins/access";
import { defaultStatements } from "better-auth/plugins/organization/access";

/**
 * What each workspace role may do, in better-auth's access-control terms: the organization plugin
 * and the API-key plugin check these. Owners and admins manage members, invitations and API keys;
 * interviewers run interviews only.
 */
export const accessControl = createAccessControl({
  ...defaultStatements,
  apiKey: ["create", "read", "update", "delete"],
});

const manage = {
  member: ["create", "update", "delete"],
  invitation: ["create", "cancel"],
  apiKey: ["create", "read", "update", "delete"],
  ac: ["read"],
} as const;

export const roles = {
  owner: accessControl.newRole({ ...manage, organization: ["update", "delete"] }),
  admin: accessControl.newRole({ ...manage, organization: ["update"] }),
  interviewer: accessControl.newRole({ ac: ["read"] }),
};
