// Generated from the OpenAPI document by generate-types.ts: do not edit.

export interface paths {
    "/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run code in the sandbox; with `sessionId` the run is shared with the session
         * @description `code` is at most 256 KiB and `stdin` at most 1 MiB of UTF-8 (413 above). No string may contain NUL or unpaired surrogates (400 naming the field): a process cannot take NUL in its arguments, and the session's history (PostgreSQL) cannot store it. Runs are limited per client and per session (429) and queued (503 when the queue is full), both with `Retry-After`; a run in an ended session is refused (409).
         */
        post: operations["runCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The instance policy: who may sign up, whether single sign-on, anonymous sessions and email verification are on, whether an account exists yet
         * @description The instance policy: who may sign up, whether single sign-on, anonymous sessions and email verification are on, whether an account exists yet
         */
        get: operations["getInstance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/interviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace's interviews, newest first, filtered and searched; keyset pages
         * @description The workspace's interviews, newest first, filtered and searched; keyset pages
         */
        get: operations["listInterviews"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/interviews/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an interview's record at once, live or kept past its links: every row of it
         * @description Delete an interview's record at once, live or kept past its links: every row of it
         */
        delete: operations["deleteInterview"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/languages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Languages, their detected versions, whether each can run here, and what a run may use and write
         * @description A language that cannot run here says why (`reason`); runs in it answer 503.
         */
        get: operations["listLanguages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/questions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List and search the question bank, newest first, cursor-paginated (interviewer only)
         * @description List and search the question bank, newest first, cursor-paginated (interviewer only)
         */
        get: operations["listQuestions"];
        put?: never;
        /**
         * Add a question to the bank (interviewer only)
         * @description Add a question to the bank (interviewer only)
         */
        post: operations["createQuestion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/questions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A question with its tests, reference solution and rubric (interviewer only)
         * @description A question with its tests, reference solution and rubric (interviewer only)
         */
        get: operations["getQuestion"];
        /**
         * Replace a question (interviewer only)
         * @description Interviews that already picked it keep the copy they picked.
         */
        put: operations["replaceQuestion"];
        post?: never;
        /**
         * Delete a question from the bank (interviewer only)
         * @description Delete a question from the bank (interviewer only)
         */
        delete: operations["deleteQuestion"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/questions/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every question of the bank as one JSON document (interviewer only)
         * @description The document `POST /questions/import` takes back; ids and times are ignored on import.
         */
        get: operations["exportQuestions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/questions/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add questions from a JSON export (interviewer only)
         * @description Each question is checked on its own: valid ones are added, invalid ones are reported with the offending fields and do not block the others. Always adds new questions (ids are not reused).
         */
        post: operations["importQuestions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an interview session
         * @description Returns the session, the interviewer token (shown only here) and the links to share. Every field is optional; an empty body creates an untitled JavaScript session that expires after the server's default time. Limited per client (429 with `Retry-After`). Created by a signed-in member or an API key, the session belongs to its workspace. With `ANONYMOUS_SESSIONS=false` only they may create (401 without credentials, 403 for an account outside any workspace).
         */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Session details
         * @description Anyone with the link may read them (never the interviewer token). With the interviewer token, `isInterviewer` is true.
         */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /**
         * Delete the session and all its data; connected clients are disconnected (interviewer only)
         * @description Delete the session and all its data; connected clients are disconnected (interviewer only)
         */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        /**
         * Update title, language, status or expiry (interviewer only)
         * @description Give at least one field. `expiresAt` and `ttlHours` exclude each other. Ending the session (`status: ended`) locks the editor and closes runs.
         */
        patch: operations["updateSession"];
        trace?: never;
    };
    "/sessions/{id}/code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The live code and language
         * @description What the editors show right now, on whichever node holds the room.
         */
        get: operations["getCode"];
        put?: never;
        /**
         * Save a code snapshot (of the live code when `code` is omitted)
         * @description Saves a snapshot anyone in the session can restore from. `code` is at most 256 KiB of UTF-8 (413 above); like every string it must not contain NUL or unpaired surrogates (400 naming the field), which PostgreSQL cannot store. With the interviewer token the author defaults to `interviewer`.
         */
        post: operations["saveSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The whole session as JSON: metadata, final code, snapshots, runs and timeline (interviewer only)
         * @description Everything but the raw update log (`getPlayback` pages through that).
         */
        get: operations["exportSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/export/code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The final code with a file name for its language (`/api/sessions/{id}/solution` downloads it)
         * @description Anyone with the link may download the code.
         */
        get: operations["exportCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Session history (snapshots, edits, runs, joins…), newest first, cursor-paginated
         * @description Pass `nextCursor` as `cursor` for the next page until it is null.
         */
        get: operations["listHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/interviewer-markers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Replay markers for interviewers: notes, hidden and reference test runs, every scorecard save
         * @description Replay markers for interviewers: notes, hidden and reference test runs, every scorecard save
         */
        get: operations["listInterviewerMarkers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The interviewers' notes, paragraph by paragraph with time and code cursor (interviewer only)
         * @description The interviewers' notes, paragraph by paragraph with time and code cursor (interviewer only)
         */
        get: operations["getInterviewerNotes"];
        put?: never;
        /**
         * Add a paragraph to the notes; it keeps the time and the code cursor (interviewer only)
         * @description Add a paragraph to the notes; it keeps the time and the code cursor (interviewer only)
         */
        post: operations["addInterviewerNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/notes/{paragraphId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a paragraph's text; it keeps its time and cursor (interviewer only)
         * @description Change a paragraph's text; it keeps its time and cursor (interviewer only)
         */
        patch: operations["editInterviewerNote"];
        trace?: never;
    };
    "/sessions/{id}/participants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is connected now, across all nodes
         * @description Everyone connected to the room now, on any node, with the role the server gave them.
         */
        get: operations["listParticipants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session's timeline for replay: every document update with time and author, and markers
         * @description Interviewer only. Paginated by update: pass `nextCursor` as `cursor` until it is null. Updates are columnar; `data` is base64 of the updates, each preceded by its byte length as a lib0 varUint.
         */
        get: operations["getPlayback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/playback/terminal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The shared terminal's live runs for replay: starts, output, keystrokes and ends, with their times
         * @description Interviewer only. Paginated by event: pass `nextCursor` as `cursor` until it is null. `data` is base64: the bytes for `output` and `input`, JSON for `start` (language, mode, size, code, who), `resize` and `end` (the run's result).
         */
        get: operations["getTerminalPlayback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/question": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session's question as everyone in the room sees it (prompt, starter code, public tests)
         * @description The session's question as everyone in the room sees it (prompt, starter code, public tests)
         */
        get: operations["getSessionQuestion"];
        /**
         * Pick the session's question from the bank, or clear it with null (interviewer only)
         * @description Everyone in the room sees the new prompt. The starter code of the current language replaces the code when the editor is empty or still holds the previous question's starter, as one ordinary change.
         */
        put: operations["setSessionQuestion"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/question/full": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session's question with hidden tests, reference solution and rubric (interviewer only)
         * @description The session's question with hidden tests, reference solution and rubric (interviewer only)
         */
        get: operations["getSessionQuestionFull"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/scorecard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The interview's scorecard (interviewer only)
         * @description The interview's scorecard (interviewer only)
         */
        get: operations["getScorecard"];
        /**
         * Save the scorecard: a 1–4 rating and comment per rubric item, a recommendation, a summary
         * @description Save the scorecard: a 1–4 rating and comment per rubric item, a recommendation, a summary
         */
        put: operations["saveScorecard"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Saved snapshots, newest first
         * @description The latest 500 snapshots of the session, code included.
         */
        get: operations["listSnapshots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/snapshots/{snapshotId}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the live code with a snapshot for everyone (interviewer only)
         * @description Everyone's editor shows the snapshot's code and language at once; the restore is in the history.
         */
        post: operations["restoreSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/socket-ticket": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A ticket that joins the session's WebSocket as the interviewer (interviewer only)
         * @description Valid for 10 minutes; pass it as `?ticket=` on `/ws/sessions/{id}` so that the interviewer token never appears in a URL. Fetch a new one before it expires for later reconnects.
         */
        post: operations["createSocketTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sessions/{id}/test-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Test runs of the session, newest first: public runs for everyone, all runs for interviewers
         * @description Test runs of the session, newest first: public runs for everyone, all runs for interviewers
         */
        get: operations["listTestRuns"];
        put?: never;
        /**
         * Run the code against the question's tests and get a verdict per test
         * @description `public` (anyone in the room) runs the public tests and shares the verdicts with the room; `hidden` (every test) and `reference` (the reference solution) need the interviewer token and are seen by interviewers only. Without `code`, the live code and language of the session are run.
         */
        post: operations["runTests"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/watch/{observerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session an observer link watches (read-only; no session id or candidate link)
         * @description The session an observer link watches (read-only; no session id or candidate link)
         */
        get: operations["getWatchedSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename the open workspace (owners and admins)
         * @description Rename the open workspace (owners and admins)
         */
        patch: operations["updateWorkspace"];
        trace?: never;
    };
    "/workspace/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace's API keys (never the keys themselves)
         * @description The workspace's API keys (never the keys themselves)
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key; the key is in this answer only
         * @description Create an API key; the key is in this answer only
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key: refused from the next request on, on every node
         * @description Revoke an API key: refused from the next request on, on every node
         */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pending invitations, with their links (owners and admins)
         * @description Pending invitations, with their links (owners and admins)
         */
        get: operations["listInvitations"];
        put?: never;
        /**
         * Invite someone by email; the answer holds the link to give them (owners and admins)
         * @description Invite someone by email; the answer holds the link to give them (owners and admins)
         */
        post: operations["createInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace/invitations/{invitationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace, role and address of an invitation, for its link's page
         * @description The workspace, role and address of an invitation, for its link's page
         */
        get: operations["getInvitation"];
        put?: never;
        post?: never;
        /**
         * Cancel a pending invitation (owners and admins)
         * @description Cancel a pending invitation (owners and admins)
         */
        delete: operations["deleteInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace/invitations/{invitationId}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join the workspace of an invitation addressed to the signed-in account
         * @description Join the workspace of an invitation addressed to the signed-in account
         */
        post: operations["createMembership"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the request comes from: a signed-in member and their workspace, an API key, or nobody
         * @description Who the request comes from: a signed-in member and their workspace, an API key, or nobody
         */
        get: operations["getCaller"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace's members and their roles
         * @description The workspace's members and their roles
         */
        get: operations["listMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspace/members/{memberId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member (owners and admins)
         * @description Remove a member (owners and admins)
         */
        delete: operations["deleteMember"];
        options?: never;
        head?: never;
        /**
         * Change a member's role (owners and admins)
         * @description Change a member's role (owners and admins)
         */
        patch: operations["setMemberRole"];
        trace?: never;
    };
    "/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspaces the signed-in account belongs to, with its role in each and the open one
         * @description The workspaces the signed-in account belongs to, with its role in each and the open one
         */
        get: operations["listWorkspaces"];
        put?: never;
        /**
         * Create a workspace owned by the signed-in account
         * @description The open workspace stays as it was (scripts are not moved by it); open the new one with setActiveWorkspace.
         */
        post: operations["createWorkspace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{organizationId}/switch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open another of the account's workspaces: the session's later calls act in it
         * @description Open another of the account's workspaces: the session's later calls act in it
         */
        post: operations["setActiveWorkspace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error has this shape */
        Error: {
            /**
             * @description Stable: BAD_REQUEST, PARSE_ERROR, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR
             * @example BAD_REQUEST
             */
            code: string;
            /**
             * @description The offending fields as dotted paths (`args.0`); `(body)` is the body as a whole
             * @example [
             *       "title"
             *     ]
             */
            fields?: string[];
            /** @description Validation failures, one per rule broken */
            issues?: {
                /**
                 * @description The validation rule that failed
                 * @example too_small
                 */
                code: string;
                message: string;
                /** @example title */
                path: string;
            }[];
            /**
             * @description For people
             * @example Invalid input: title: Too small
             */
            message: string;
            /** @description As in `x-request-id`: quote it when reporting a problem */
            requestId?: string;
        };
    };
    responses: {
        /** @description Invalid input: `fields` names what is wrong */
        Error400: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Credentials are missing: the interviewer token, a member's session or an API key, as the operation needs */
        Error401: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The credentials do not reach this: another session's token, another workspace, or a role without the right */
        Error403: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such session (or it expired), or no such snapshot */
        Error404: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Conflicts with the session's state (e.g. a run in an ended session) */
        Error409: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is over the limit, or `code`/`stdin` is over its own */
        Error413: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is not JSON (`content-type: application/json`, UTF-8) */
        Error415: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Too many requests from this client (or session); retry after `Retry-After` seconds */
        Error429: {
            headers: {
                "retry-after"?: string;
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Request headers too large (answered by the HTTP server itself, without a body) */
        Error431: {
            headers: {
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description An unexpected failure (logged with the request id) */
        Error500: {
            headers: {
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A backing service (database, bus, sandbox) is unavailable or busy; retry shortly */
        Error503: {
            headers: {
                "retry-after"?: string;
                /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                "x-request-id": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    runCode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 1600 KiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Command-line arguments, at most 64 of 4096 characters each
                     * @default []
                     * @example [
                     *       "--verbose"
                     *     ]
                     */
                    args?: string[];
                    /**
                     * @description The program, at most 256 KiB
                     * @example print(input())
                     */
                    code: string;
                    /** @enum {string} */
                    language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    /**
                     * @description Display name of who ran it, shown to the session; trimmed
                     * @example Ada
                     */
                    runBy?: string;
                    /**
                     * @description For `sql`: the schema and data the code runs against (a question's), at most 256 KiB; default: a small sample schema
                     * @example CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);
                     */
                    seed?: string;
                    /**
                     * @description Share the run with this session's room and history
                     * @example q3m9Xa0bT1cD2eF3gH4iJ5
                     */
                    sessionId?: string;
                    /**
                     * @description Standard input, at most 1 MiB
                     * @default
                     * @example Ada
                     */
                    stdin?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        compileOutput?: string;
                        exitCode: number | null;
                        memoryKb?: number;
                        runId: string;
                        signal: string | null;
                        /** @enum {string} */
                        status: "ok" | "compile_error" | "runtime_error" | "timeout" | "memory_limit" | "output_limit" | "internal_error";
                        stderr: string;
                        stdout: string;
                        timeMs: number;
                        truncated: boolean;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            429: components["responses"]["Error429"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getInstance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether sessions may be created without an account or API key */
                        anonymousSessions: boolean;
                        /** @description A new email + password account signs in once it opens the link mailed to its address (`EMAIL_VERIFICATION=required`) */
                        emailVerification: boolean;
                        /** @description No account exists yet: the next sign-up owns the server's first workspace */
                        firstAccount: boolean;
                        /**
                         * @description `open`: anyone; `invite`: invited addresses only; `closed`: nobody after the first account
                         * @enum {string}
                         */
                        signup: "open" | "invite" | "closed";
                        /** @description Sign-in through the OpenID Connect provider `oidc` is offered: `POST /api/auth/sign-in/social` `{ "provider": "oidc", "callbackURL" }` */
                        sso: boolean;
                    };
                };
            };
            400: components["responses"]["Error400"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listInterviews: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page */
                cursor?: string;
                /** @description A member's user id */
                interviewer?: string;
                /** @description Interviews per page */
                limit?: number;
                /** @description In titles and candidate names */
                search?: string;
                /** @description Only interviews in this state */
                status?: "scheduled" | "live" | "ended" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Names candidates joined with */
                            candidates: string[];
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: {
                                id: string;
                                name: string;
                            } | null;
                            /** @description From the first candidate join to the end */
                            durationMs: number | null;
                            /**
                             * Format: date-time
                             * @description When the links stopped (or stop) working
                             */
                            expiresAt: string;
                            id: string;
                            language: string;
                            links: {
                                export: string;
                                replay: string;
                                room: string;
                            };
                            /** @description The scorecard's recommendation, once one is saved */
                            recommendation: ("strong_no" | "no" | "yes" | "strong_yes") | null;
                            /** @description When a candidate first joined */
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "scheduled" | "live" | "ended" | "expired";
                            title: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    deleteInterview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The interview's session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listLanguages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        languages: {
                            available: boolean;
                            /** @enum {string} */
                            id: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                            name: string;
                            reason?: string;
                            version: string | null;
                        }[];
                        limits?: {
                            /** @description CPU-time limit of each process */
                            cpuTimeSeconds: number;
                            /** @description Largest single file a run may write */
                            fileSizeBytes: number;
                            /** @description Memory of the whole run (its files in /box and /tmp count too) */
                            memoryBytes: number;
                            /** @description Cap on each of stdout and stderr */
                            outputBytes: number;
                            /** @description Processes and threads at once */
                            processes: number;
                            /** @description Wall-clock limit of a run */
                            wallTimeMs: number;
                            /** @description A run's writable space: private to the run, in memory, gone when it ends */
                            writable: {
                                /** @description Bytes a run may write under them together */
                                bytes: number;
                                /** @description Files and directories a run may create under them together */
                                files: number;
                                /** @description The only writable directories (the source is in /box) */
                                paths: string[];
                            };
                        };
                    };
                };
            };
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listQuestions: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page */
                cursor?: string;
                /** @description Only questions of this difficulty */
                difficulty?: "easy" | "medium" | "hard";
                /** @description Questions per page, 1 to 100 */
                limit?: number;
                /** @description Words to find in the title or prompt */
                q?: string;
                /** @description Comma-separated tags; a question must have all of them */
                tags?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @enum {string} */
                            difficulty: "easy" | "medium" | "hard";
                            hiddenTests: number;
                            id: string;
                            /** @description Languages with starter code */
                            languages: string[];
                            publicTests: number;
                            tags: string[];
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    createQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 16 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default medium
                     * @enum {string}
                     */
                    difficulty?: "easy" | "medium" | "hard";
                    /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                    prompt: string;
                    /** @default null */
                    referenceSolution?: {
                        code: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    } | null;
                    /** @default [] */
                    rubric?: {
                        /** @default  */
                        description?: string;
                        /** @description Stable id within the question; generated when missing */
                        id?: string;
                        title: string;
                    }[];
                    /**
                     * @description Starter code per language id
                     * @default {}
                     */
                    starterCode?: {
                        [key: string]: string;
                    };
                    /** @default [] */
                    tags?: (string & (unknown & unknown))[];
                    /** @default [] */
                    tests?: {
                        /**
                         * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                         * @default trimmed
                         * @enum {string}
                         */
                        comparison?: "exact" | "trimmed" | "tokens" | "float";
                        /** @description Expected standard output */
                        expected: string;
                        /** @description Stable id within the question; generated when missing */
                        id?: string;
                        /** @default  */
                        name?: string;
                        /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                        seed?: string;
                        /** @default  */
                        stdin?: string;
                        /** @default 2000 */
                        timeLimitMs?: number;
                        /**
                         * @description float mode: a number passes within this absolute or relative difference
                         * @default 0.000001
                         */
                        tolerance?: number;
                        /**
                         * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                         * @default public
                         * @enum {string}
                         */
                        visibility?: "public" | "hidden";
                    }[];
                    title: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * @default medium
                         * @enum {string}
                         */
                        difficulty: "easy" | "medium" | "hard";
                        id: string;
                        /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                        prompt: string;
                        /** @default null */
                        referenceSolution: {
                            code: string;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        } | null;
                        rubric: {
                            /** @default  */
                            description: string;
                            id: string;
                            title: string;
                        }[];
                        /**
                         * @description Starter code per language id
                         * @default {}
                         */
                        starterCode: {
                            [key: string]: string;
                        };
                        /** @default [] */
                        tags: (string & (unknown & unknown))[];
                        tests: {
                            /**
                             * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                             * @default trimmed
                             * @enum {string}
                             */
                            comparison: "exact" | "trimmed" | "tokens" | "float";
                            /** @description Expected standard output */
                            expected: string;
                            id: string;
                            /** @default  */
                            name: string;
                            /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                            seed?: string;
                            /** @default  */
                            stdin: string;
                            /** @default 2000 */
                            timeLimitMs: number;
                            /**
                             * @description float mode: a number passes within this absolute or relative difference
                             * @default 0.000001
                             */
                            tolerance: number;
                            /**
                             * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                             * @default public
                             * @enum {string}
                             */
                            visibility: "public" | "hidden";
                        }[];
                        title: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The question's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * @default medium
                         * @enum {string}
                         */
                        difficulty: "easy" | "medium" | "hard";
                        id: string;
                        /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                        prompt: string;
                        /** @default null */
                        referenceSolution: {
                            code: string;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        } | null;
                        rubric: {
                            /** @default  */
                            description: string;
                            id: string;
                            title: string;
                        }[];
                        /**
                         * @description Starter code per language id
                         * @default {}
                         */
                        starterCode: {
                            [key: string]: string;
                        };
                        /** @default [] */
                        tags: (string & (unknown & unknown))[];
                        tests: {
                            /**
                             * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                             * @default trimmed
                             * @enum {string}
                             */
                            comparison: "exact" | "trimmed" | "tokens" | "float";
                            /** @description Expected standard output */
                            expected: string;
                            id: string;
                            /** @default  */
                            name: string;
                            /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                            seed?: string;
                            /** @default  */
                            stdin: string;
                            /** @default 2000 */
                            timeLimitMs: number;
                            /**
                             * @description float mode: a number passes within this absolute or relative difference
                             * @default 0.000001
                             */
                            tolerance: number;
                            /**
                             * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                             * @default public
                             * @enum {string}
                             */
                            visibility: "public" | "hidden";
                        }[];
                        title: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    replaceQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The question's id */
                id: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 16 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default medium
                     * @enum {string}
                     */
                    difficulty?: "easy" | "medium" | "hard";
                    /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                    prompt: string;
                    /** @default null */
                    referenceSolution?: {
                        code: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    } | null;
                    /** @default [] */
                    rubric?: {
                        /** @default  */
                        description?: string;
                        /** @description Stable id within the question; generated when missing */
                        id?: string;
                        title: string;
                    }[];
                    /**
                     * @description Starter code per language id
                     * @default {}
                     */
                    starterCode?: {
                        [key: string]: string;
                    };
                    /** @default [] */
                    tags?: (string & (unknown & unknown))[];
                    /** @default [] */
                    tests?: {
                        /**
                         * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                         * @default trimmed
                         * @enum {string}
                         */
                        comparison?: "exact" | "trimmed" | "tokens" | "float";
                        /** @description Expected standard output */
                        expected: string;
                        /** @description Stable id within the question; generated when missing */
                        id?: string;
                        /** @default  */
                        name?: string;
                        /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                        seed?: string;
                        /** @default  */
                        stdin?: string;
                        /** @default 2000 */
                        timeLimitMs?: number;
                        /**
                         * @description float mode: a number passes within this absolute or relative difference
                         * @default 0.000001
                         */
                        tolerance?: number;
                        /**
                         * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                         * @default public
                         * @enum {string}
                         */
                        visibility?: "public" | "hidden";
                    }[];
                    title: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * @default medium
                         * @enum {string}
                         */
                        difficulty: "easy" | "medium" | "hard";
                        id: string;
                        /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                        prompt: string;
                        /** @default null */
                        referenceSolution: {
                            code: string;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        } | null;
                        rubric: {
                            /** @default  */
                            description: string;
                            id: string;
                            title: string;
                        }[];
                        /**
                         * @description Starter code per language id
                         * @default {}
                         */
                        starterCode: {
                            [key: string]: string;
                        };
                        /** @default [] */
                        tags: (string & (unknown & unknown))[];
                        tests: {
                            /**
                             * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                             * @default trimmed
                             * @enum {string}
                             */
                            comparison: "exact" | "trimmed" | "tokens" | "float";
                            /** @description Expected standard output */
                            expected: string;
                            id: string;
                            /** @default  */
                            name: string;
                            /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                            seed?: string;
                            /** @default  */
                            stdin: string;
                            /** @default 2000 */
                            timeLimitMs: number;
                            /**
                             * @description float mode: a number passes within this absolute or relative difference
                             * @default 0.000001
                             */
                            tolerance: number;
                            /**
                             * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                             * @default public
                             * @enum {string}
                             */
                            visibility: "public" | "hidden";
                        }[];
                        title: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    deleteQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The question's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    exportQuestions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        exportedAt: string;
                        /** @constant */
                        format: "pairpad.questions";
                        questions: {
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * @default medium
                             * @enum {string}
                             */
                            difficulty: "easy" | "medium" | "hard";
                            id: string;
                            /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                            prompt: string;
                            /** @default null */
                            referenceSolution: {
                                code: string;
                                /** @enum {string} */
                                language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                            } | null;
                            rubric: {
                                /** @default  */
                                description: string;
                                id: string;
                                title: string;
                            }[];
                            /**
                             * @description Starter code per language id
                             * @default {}
                             */
                            starterCode: {
                                [key: string]: string;
                            };
                            /** @default [] */
                            tags: (string & (unknown & unknown))[];
                            tests: {
                                /**
                                 * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                                 * @default trimmed
                                 * @enum {string}
                                 */
                                comparison: "exact" | "trimmed" | "tokens" | "float";
                                /** @description Expected standard output */
                                expected: string;
                                id: string;
                                /** @default  */
                                name: string;
                                /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                                seed?: string;
                                /** @default  */
                                stdin: string;
                                /** @default 2000 */
                                timeLimitMs: number;
                                /**
                                 * @description float mode: a number passes within this absolute or relative difference
                                 * @default 0.000001
                                 */
                                tolerance: number;
                                /**
                                 * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                                 * @default public
                                 * @enum {string}
                                 */
                                visibility: "public" | "hidden";
                            }[];
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** @constant */
                        version: 1;
                    };
                };
            };
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    importQuestions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 16 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    questions: unknown[];
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        imported: number;
                        results: {
                            error?: string;
                            fields?: string[];
                            id?: string;
                            index: number;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @description The session's language
                     * @default javascript
                     * @enum {string}
                     */
                    language?: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    /**
                     * @description Shown to everyone in the room; leading and trailing whitespace is trimmed
                     * @default Untitled interview
                     * @example Backend loop: rate limiter
                     */
                    title?: string;
                    /**
                     * @description Hours until the links expire, 1 to 168
                     * @example 24
                     */
                    ttlHours?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: uri
                         * @description The link for the candidate
                         */
                        candidateUrl: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When the links stop working: an anonymous session is deleted then, a workspace keeps the record for its retention period
                         */
                        expiresAt: string;
                        /** @example q3m9Xa0bT1cD2eF3gH4iJ5 */
                        id: string;
                        /** @description Shown once; send it as `Authorization: Bearer <token>` on interviewer operations */
                        interviewerToken: string;
                        /**
                         * Format: uri
                         * @description The interviewer's link; the token rides in the fragment
                         */
                        interviewerUrl: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        /**
                         * Format: uri
                         * @description The link for observers (read-only); the candidate link cannot be derived from it
                         */
                        observerUrl: string;
                        /**
                         * @description `ended`: the editor is locked and runs are closed
                         * @enum {string}
                         */
                        status: "active" | "ended";
                        title: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            429: components["responses"]["Error429"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: uri
                         * @description The link for the candidate
                         */
                        candidateUrl: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When the links stop working: an anonymous session is deleted then, a workspace keeps the record for its retention period
                         */
                        expiresAt: string;
                        /** @example q3m9Xa0bT1cD2eF3gH4iJ5 */
                        id: string;
                        /** @description Whether the request carried this session's token or came from a member of its workspace */
                        isInterviewer: boolean;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        /**
                         * Format: uri
                         * @description The link for observers (read-only); the candidate link cannot be derived from it
                         */
                        observerUrl: string;
                        /**
                         * @description `ended`: the editor is locked and runs are closed
                         * @enum {string}
                         */
                        status: "active" | "ended";
                        title: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    updateSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description New expiry, 1 h to 7 d from now; not with `ttlHours`
                     * @example 2030-01-01T12:00:00Z
                     */
                    expiresAt?: string;
                    /**
                     * @description Switches the language for everyone
                     * @enum {string}
                     */
                    language?: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    /**
                     * @description `ended` locks the session
                     * @enum {string}
                     */
                    status?: "active" | "ended";
                    /**
                     * @description Shown to everyone in the room; leading and trailing whitespace is trimmed
                     * @example Backend loop: rate limiter
                     */
                    title?: string;
                    /**
                     * @description Alternatively: expire this many hours from now; not with `expiresAt`
                     * @example 24
                     */
                    ttlHours?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: uri
                         * @description The link for the candidate
                         */
                        candidateUrl: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When the links stop working: an anonymous session is deleted then, a workspace keeps the record for its retention period
                         */
                        expiresAt: string;
                        /** @example q3m9Xa0bT1cD2eF3gH4iJ5 */
                        id: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        /**
                         * Format: uri
                         * @description The link for observers (read-only); the candidate link cannot be derived from it
                         */
                        observerUrl: string;
                        /**
                         * @description `ended`: the editor is locked and runs are closed
                         * @enum {string}
                         */
                        status: "active" | "ended";
                        title: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    saveSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @description Display name of who saved it; trimmed
                     * @example Ada
                     */
                    author?: string;
                    /**
                     * @description The code to save, at most 256 KiB; default: the live code
                     * @example print(42)
                     */
                    code?: string;
                    /**
                     * @description A name for the snapshot; trimmed
                     * @example before refactor
                     */
                    label?: string;
                    /**
                     * @description Default: the live language
                     * @enum {string}
                     */
                    language?: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        author: string | null;
                        code: string;
                        /** Format: date-time */
                        createdAt: string;
                        /** @example Zp3k9QbX2m1LwVtA */
                        id: string;
                        label: string | null;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        sessionId: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    exportSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: {
                            code: string;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        };
                        /** Format: date-time */
                        exportedAt: string;
                        /** @description The question, test runs (hidden ones too), interviewer notes and scorecard */
                        interview: {
                            notes: {
                                at: number;
                                author: string | null;
                                cursor: number | null;
                                id: string;
                                text: string;
                            }[];
                            question: {
                                /** Format: date-time */
                                createdAt: string;
                                /**
                                 * @default medium
                                 * @enum {string}
                                 */
                                difficulty: "easy" | "medium" | "hard";
                                id: string;
                                /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                                prompt: string;
                                /** @default null */
                                referenceSolution: {
                                    code: string;
                                    /** @enum {string} */
                                    language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                                } | null;
                                rubric: {
                                    /** @default  */
                                    description: string;
                                    id: string;
                                    title: string;
                                }[];
                                /**
                                 * @description Starter code per language id
                                 * @default {}
                                 */
                                starterCode: {
                                    [key: string]: string;
                                };
                                /** @default [] */
                                tags: (string & (unknown & unknown))[];
                                tests: {
                                    /**
                                     * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                                     * @default trimmed
                                     * @enum {string}
                                     */
                                    comparison: "exact" | "trimmed" | "tokens" | "float";
                                    /** @description Expected standard output */
                                    expected: string;
                                    id: string;
                                    /** @default  */
                                    name: string;
                                    /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                                    seed?: string;
                                    /** @default  */
                                    stdin: string;
                                    /** @default 2000 */
                                    timeLimitMs: number;
                                    /**
                                     * @description float mode: a number passes within this absolute or relative difference
                                     * @default 0.000001
                                     */
                                    tolerance: number;
                                    /**
                                     * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                                     * @default public
                                     * @enum {string}
                                     */
                                    visibility: "public" | "hidden";
                                }[];
                                title: string;
                                /** Format: date-time */
                                updatedAt: string;
                            } | null;
                            scorecard: {
                                ratings: {
                                    comment: string;
                                    itemId: string;
                                    rating: number;
                                }[];
                                recommendation: ("strong_no" | "no" | "yes" | "strong_yes") | null;
                                summary: string;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string | null;
                            } | null;
                            /** @description Every save of the scorecard, oldest first; the last is `scorecard` */
                            scorecardRevisions: {
                                ratings: {
                                    comment: string;
                                    itemId: string;
                                    rating: number;
                                }[];
                                recommendation: ("strong_no" | "no" | "yes" | "strong_yes") | null;
                                /** Format: date-time */
                                savedAt: string;
                                savedBy: string | null;
                                summary: string;
                            }[];
                            testRuns: {
                                compileOutput?: string;
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                /** @enum {string} */
                                language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                                passed: number;
                                runBy: string | null;
                                /**
                                 * @description public: the public tests, shared with everyone in the room; hidden: every test, interviewers only; reference: the reference solution against every test, interviewers only
                                 * @enum {string}
                                 */
                                scope: "public" | "hidden" | "reference";
                                tests: {
                                    actual: string;
                                    diff?: {
                                        actual: string;
                                        expected: string;
                                        line: number;
                                    };
                                    expected: string;
                                    memoryKb?: number;
                                    name: string;
                                    stderr: string;
                                    stdin: string;
                                    testId: string;
                                    timeLimitMs: number;
                                    timeMs: number;
                                    /** @enum {string} */
                                    verdict: "passed" | "wrong_answer" | "time_limit" | "memory_limit" | "runtime_error" | "output_limit" | "compile_error" | "internal_error" | "not_run";
                                    /** @enum {string} */
                                    visibility: "public" | "hidden";
                                }[];
                                total: number;
                                /**
                                 * @description passed when every test passed, else the first failing test's verdict
                                 * @enum {string}
                                 */
                                verdict: "passed" | "wrong_answer" | "time_limit" | "memory_limit" | "runtime_error" | "output_limit" | "compile_error" | "internal_error" | "not_run";
                            }[];
                        };
                        runs: ({
                            /** Format: date-time */
                            at: string;
                            /** @description Who ran it */
                            by: string | null;
                            code: string;
                            compileOutput?: string;
                            exitCode: number | null;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                            runId: string;
                            /** @enum {string} */
                            status: "ok" | "compile_error" | "runtime_error" | "timeout" | "memory_limit" | "output_limit" | "internal_error";
                            stderr: string;
                            stdin: string;
                            stdout: string;
                            timeMs: number;
                        } & {
                            [key: string]: unknown;
                        })[];
                        session: {
                            /**
                             * Format: uri
                             * @description The link for the candidate
                             */
                            candidateUrl: string;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When the links stop working: an anonymous session is deleted then, a workspace keeps the record for its retention period
                             */
                            expiresAt: string;
                            /** @example q3m9Xa0bT1cD2eF3gH4iJ5 */
                            id: string;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                            /**
                             * Format: uri
                             * @description The link for observers (read-only); the candidate link cannot be derived from it
                             */
                            observerUrl: string;
                            /**
                             * @description `ended`: the editor is locked and runs are closed
                             * @enum {string}
                             */
                            status: "active" | "ended";
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                        snapshots: {
                            author: string | null;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            label: string | null;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        }[];
                        timeline: {
                            actor: string | null;
                            /** Format: date-time */
                            at: string;
                            /** @enum {string} */
                            kind: "edit" | "language" | "run" | "snapshot" | "restore" | "join" | "leave" | "session" | "question" | "test_run";
                            /** @description Fields by kind; other fields may appear and are to be ignored */
                            payload: {
                                /** @description `session`: what happened */
                                action?: string | null;
                                /** @description `run`: the code run */
                                code?: string | null;
                                compileOutput?: string | null;
                                /** @description `join`, `leave`: the connection */
                                connectionId?: string | null;
                                exitCode?: number | null;
                                /** @description `session`: the expiry set */
                                expiresAt?: string | null;
                                /** @description `language`: the previous language; `edit`: window start */
                                from?: string | null;
                                /** @description `snapshot`, `restore`: its label */
                                label?: string | null;
                                /** @description `language`, `session`, `run`: the language */
                                language?: string | null;
                                /** @description `join`, `leave`: the role the server gave the connection; `snapshot`, `run`, `test_run`: the caller's role as the server knows it (the actor is a display name the caller chose) */
                                role?: string | null;
                                /** @description `run`: the run */
                                runId?: string | null;
                                /** @description `snapshot`, `restore`: the snapshot */
                                snapshotId?: string | null;
                                /** @description `session`: the status set; `run`: the run's status */
                                status?: string | null;
                                stderr?: string | null;
                                stdin?: string | null;
                                stdout?: string | null;
                                timeMs?: number | null;
                                /** @description `session`: the title set */
                                title?: string | null;
                                /** @description `edit`: window end */
                                to?: string | null;
                                /** @description `edit`: updates by this author in the window */
                                updates?: number | null;
                            } & {
                                [key: string]: unknown;
                            };
                        }[];
                        updateCount: number;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    exportCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        filename: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listHistory: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page (a decimal integer) */
                cursor?: number;
                /** @description Only entries of this kind */
                kind?: "edit" | "language" | "run" | "snapshot" | "restore" | "join" | "leave" | "session" | "question" | "test_run";
                /** @description Entries per page, 1 to 200 */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The session id, or an observer link's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            actor: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            id: number;
                            /** @enum {string} */
                            kind: "edit" | "language" | "run" | "snapshot" | "restore" | "join" | "leave" | "session" | "question" | "test_run";
                            /** @description Fields by kind; other fields may appear and are to be ignored */
                            payload: {
                                /** @description `session`: what happened */
                                action?: string | null;
                                /** @description `run`: the code run */
                                code?: string | null;
                                compileOutput?: string | null;
                                /** @description `join`, `leave`: the connection */
                                connectionId?: string | null;
                                exitCode?: number | null;
                                /** @description `session`: the expiry set */
                                expiresAt?: string | null;
                                /** @description `language`: the previous language; `edit`: window start */
                                from?: string | null;
                                /** @description `snapshot`, `restore`: its label */
                                label?: string | null;
                                /** @description `language`, `session`, `run`: the language */
                                language?: string | null;
                                /** @description `join`, `leave`: the role the server gave the connection; `snapshot`, `run`, `test_run`: the caller's role as the server knows it (the actor is a display name the caller chose) */
                                role?: string | null;
                                /** @description `run`: the run */
                                runId?: string | null;
                                /** @description `snapshot`, `restore`: the snapshot */
                                snapshotId?: string | null;
                                /** @description `session`: the status set; `run`: the run's status */
                                status?: string | null;
                                stderr?: string | null;
                                stdin?: string | null;
                                stdout?: string | null;
                                timeMs?: number | null;
                                /** @description `session`: the title set */
                                title?: string | null;
                                /** @description `edit`: window end */
                                to?: string | null;
                                /** @description `edit`: updates by this author in the window */
                                updates?: number | null;
                            } & {
                                [key: string]: unknown;
                            };
                        }[];
                        nextCursor: number | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listInterviewerMarkers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        markers: {
                            /** @description ms since the epoch */
                            at: number;
                            cursor: number | null;
                            /** @enum {string} */
                            kind: "note" | "hidden_test_run" | "reference_run" | "scorecard";
                            label: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getInterviewerNotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        paragraphs: {
                            at: number;
                            author: string | null;
                            cursor: number | null;
                            id: string;
                            text: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    addInterviewerNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    by?: string;
                    /**
                     * @description The code cursor's offset now
                     * @default null
                     */
                    cursor?: number | null;
                    text: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        paragraphs: {
                            at: number;
                            author: string | null;
                            cursor: number | null;
                            id: string;
                            text: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    editInterviewerNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
                /** @description The paragraph to edit */
                paragraphId: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    text: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        paragraphs: {
                            at: number;
                            author: string | null;
                            cursor: number | null;
                            id: string;
                            text: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listParticipants: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        participants: {
                            color: string;
                            connectionId: string;
                            name: string;
                            /** @enum {string} */
                            role: "interviewer" | "candidate" | "observer";
                            /** Format: date-time */
                            since: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getPlayback: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page (a decimal integer) */
                cursor?: number;
                /** @description Updates per page, 1 to 20000 */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actors: string[];
                        /** Format: date-time */
                        createdAt: string;
                        markers: {
                            actor: string | null;
                            at: number;
                            id: number;
                            /** @enum {string} */
                            kind: "edit" | "language" | "run" | "snapshot" | "restore" | "join" | "leave" | "session" | "question" | "test_run";
                            payload: {
                                [key: string]: unknown;
                            };
                        }[];
                        nextCursor: number | null;
                        roles: (("interviewer" | "candidate" | "observer") | null)[];
                        sessionId: string;
                        updates: {
                            actor: number[];
                            at: number[];
                            data: string;
                            ids: number[];
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getTerminalPlayback: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page */
                cursor?: number;
                /** @description Events per page, 1 to 20000 */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            /** @description Who typed (`input`) or ran it (`start`) */
                            actor: string | null;
                            /** @description Milliseconds since the epoch */
                            at: number;
                            /** @description base64 */
                            data: string;
                            id: number;
                            /** @enum {string} */
                            kind: "start" | "output" | "input" | "resize" | "end";
                            runId: string;
                        }[];
                        nextCursor: number | null;
                        sessionId: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getSessionQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session id, or an observer link's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        question: {
                            /** @enum {string} */
                            difficulty: "easy" | "medium" | "hard";
                            /** @description The bank question it was copied from (null once that is deleted) */
                            id: string | null;
                            /** @description Markdown; render it sanitized */
                            prompt: string;
                            starterCode: {
                                [key: string]: string;
                            };
                            tags: string[];
                            tests: {
                                expected: string;
                                id: string;
                                name: string;
                                /** @description SQL: the schema and data the query runs against */
                                seed?: string;
                                stdin: string;
                                timeLimitMs: number;
                            }[];
                            title: string;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    setSessionQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    by?: string;
                    questionId: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        question: {
                            /** @enum {string} */
                            difficulty: "easy" | "medium" | "hard";
                            /** @description The bank question it was copied from (null once that is deleted) */
                            id: string | null;
                            /** @description Markdown; render it sanitized */
                            prompt: string;
                            starterCode: {
                                [key: string]: string;
                            };
                            tags: string[];
                            tests: {
                                expected: string;
                                id: string;
                                name: string;
                                /** @description SQL: the schema and data the query runs against */
                                seed?: string;
                                stdin: string;
                                timeLimitMs: number;
                            }[];
                            title: string;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getSessionQuestionFull: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        question: {
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * @default medium
                             * @enum {string}
                             */
                            difficulty: "easy" | "medium" | "hard";
                            id: string;
                            /** @description Markdown; rendered sanitized (no script, no raw HTML) */
                            prompt: string;
                            /** @default null */
                            referenceSolution: {
                                code: string;
                                /** @enum {string} */
                                language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                            } | null;
                            rubric: {
                                /** @default  */
                                description: string;
                                id: string;
                                title: string;
                            }[];
                            /**
                             * @description Starter code per language id
                             * @default {}
                             */
                            starterCode: {
                                [key: string]: string;
                            };
                            /** @default [] */
                            tags: (string & (unknown & unknown))[];
                            tests: {
                                /**
                                 * @description exact: byte for byte; trimmed: trailing whitespace of each line and trailing blank lines ignored; tokens: whitespace-separated tokens equal; float: tokens equal, numbers within `tolerance`
                                 * @default trimmed
                                 * @enum {string}
                                 */
                                comparison: "exact" | "trimmed" | "tokens" | "float";
                                /** @description Expected standard output */
                                expected: string;
                                id: string;
                                /** @default  */
                                name: string;
                                /** @description SQL questions: the schema and data (SQLite statements) this test's query runs against; a public test's seed is shown to the candidate, and the first one is what a plain SQL run uses */
                                seed?: string;
                                /** @default  */
                                stdin: string;
                                /** @default 2000 */
                                timeLimitMs: number;
                                /**
                                 * @description float mode: a number passes within this absolute or relative difference
                                 * @default 0.000001
                                 */
                                tolerance: number;
                                /**
                                 * @description public: the candidate sees input, expected and actual output; hidden: interviewers only
                                 * @default public
                                 * @enum {string}
                                 */
                                visibility: "public" | "hidden";
                            }[];
                            title: string;
                            /** Format: date-time */
                            updatedAt: string;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getScorecard: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @default [] */
                        ratings: {
                            /** @default  */
                            comment: string;
                            /** @description A rubric item of the session's question */
                            itemId: string;
                            rating: number;
                        }[];
                        /** @default null */
                        recommendation: ("strong_no" | "no" | "yes" | "strong_yes") | null;
                        /** @description The rubric of the session's question, the items a scorecard rates */
                        rubric: {
                            description: string;
                            id: string;
                            title: string;
                        }[];
                        /** @default  */
                        summary: string;
                        updatedAt: string | null;
                        updatedBy: string | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    saveScorecard: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody?: {
            content: {
                "application/json": {
                    by?: string;
                    /** @default [] */
                    ratings?: {
                        /** @default  */
                        comment?: string;
                        /** @description A rubric item of the session's question */
                        itemId: string;
                        rating: number;
                    }[];
                    /** @default null */
                    recommendation?: ("strong_no" | "no" | "yes" | "strong_yes") | null;
                    /** @default  */
                    summary?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @default [] */
                        ratings: {
                            /** @default  */
                            comment: string;
                            /** @description A rubric item of the session's question */
                            itemId: string;
                            rating: number;
                        }[];
                        /** @default null */
                        recommendation: ("strong_no" | "no" | "yes" | "strong_yes") | null;
                        /** @description The rubric of the session's question, the items a scorecard rates */
                        rubric: {
                            description: string;
                            id: string;
                            title: string;
                        }[];
                        /** @default  */
                        summary: string;
                        updatedAt: string | null;
                        updatedBy: string | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listSnapshots: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session id, or an observer link's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        snapshots: {
                            author: string | null;
                            code: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** @example Zp3k9QbX2m1LwVtA */
                            id: string;
                            label: string | null;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                            sessionId: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    restoreSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
                /** @description The snapshot's id, from `saveSnapshot` or `listSnapshots` */
                snapshotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        /** @constant */
                        restored: true;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    createSocketTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        ticket: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listTestRuns: {
        parameters: {
            query?: {
                /** @description Runs per page, 1 to 100 */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The session id, or an observer link's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runs: {
                            compileOutput?: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            /** @enum {string} */
                            language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                            passed: number;
                            runBy: string | null;
                            /**
                             * @description public: the public tests, shared with everyone in the room; hidden: every test, interviewers only; reference: the reference solution against every test, interviewers only
                             * @enum {string}
                             */
                            scope: "public" | "hidden" | "reference";
                            tests: {
                                actual: string;
                                diff?: {
                                    actual: string;
                                    expected: string;
                                    line: number;
                                };
                                expected: string;
                                memoryKb?: number;
                                name: string;
                                stderr: string;
                                stdin: string;
                                testId: string;
                                timeLimitMs: number;
                                timeMs: number;
                                /** @enum {string} */
                                verdict: "passed" | "wrong_answer" | "time_limit" | "memory_limit" | "runtime_error" | "output_limit" | "compile_error" | "internal_error" | "not_run";
                                /** @enum {string} */
                                visibility: "public" | "hidden";
                            }[];
                            total: number;
                            /**
                             * @description passed when every test passed, else the first failing test's verdict
                             * @enum {string}
                             */
                            verdict: "passed" | "wrong_answer" | "time_limit" | "memory_limit" | "runtime_error" | "output_limit" | "compile_error" | "internal_error" | "not_run";
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    runTests: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session's id (22 URL-safe characters) */
                id: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody?: {
            content: {
                "application/json": {
                    code?: string;
                    /** @enum {string} */
                    language?: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                    runBy?: string;
                    /**
                     * @description public: the public tests, shared with everyone in the room; hidden: every test, interviewers only; reference: the reference solution against every test, interviewers only
                     * @default public
                     * @enum {string}
                     */
                    scope?: "public" | "hidden" | "reference";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        compileOutput?: string;
                        /** Format: date-time */
                        createdAt: string;
                        id: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        passed: number;
                        runBy: string | null;
                        /**
                         * @description public: the public tests, shared with everyone in the room; hidden: every test, interviewers only; reference: the reference solution against every test, interviewers only
                         * @enum {string}
                         */
                        scope: "public" | "hidden" | "reference";
                        tests: {
                            actual: string;
                            diff?: {
                                actual: string;
                                expected: string;
                                line: number;
                            };
                            expected: string;
                            memoryKb?: number;
                            name: string;
                            stderr: string;
                            stdin: string;
                            testId: string;
                            timeLimitMs: number;
                            timeMs: number;
                            /** @enum {string} */
                            verdict: "passed" | "wrong_answer" | "time_limit" | "memory_limit" | "runtime_error" | "output_limit" | "compile_error" | "internal_error" | "not_run";
                            /** @enum {string} */
                            visibility: "public" | "hidden";
                        }[];
                        total: number;
                        /**
                         * @description passed when every test passed, else the first failing test's verdict
                         * @enum {string}
                         */
                        verdict: "passed" | "wrong_answer" | "time_limit" | "memory_limit" | "runtime_error" | "output_limit" | "compile_error" | "internal_error" | "not_run";
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            429: components["responses"]["Error429"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getWatchedSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An observer link's id (24 URL-safe characters) */
                observerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        /** @enum {string} */
                        language: "javascript" | "typescript" | "python" | "java" | "cpp" | "go" | "rust" | "ruby" | "php" | "csharp" | "kotlin" | "bash" | "sql" | "scala" | "haskell" | "lua" | "perl" | "r";
                        observerId: string;
                        /** @enum {string} */
                        status: "active" | "ended";
                        title: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    updateWorkspace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    /** @description The workspace's name (1 to 100 characters, trimmed) */
                    name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether it is the workspace the caller has open */
                        active: boolean;
                        id: string;
                        name: string;
                        /**
                         * @description The caller's role there
                         * @enum {string}
                         */
                        role: "owner" | "admin" | "interviewer";
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lastUsedAt: string | null;
                            name: string | null;
                            /** @description The key's first characters, to recognise it */
                            start: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        id: string;
                        /** @description Shown once; stored hashed */
                        key: string;
                        lastUsedAt: string | null;
                        name: string | null;
                        /** @description The key's first characters, to recognise it */
                        start: string | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key's id (from listApiKeys) */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        revoked: true;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        invitations: {
                            email: string;
                            /** Format: date-time */
                            expiresAt: string;
                            id: string;
                            /**
                             * Format: uri
                             * @description Give this link to the invitee: signing up or in there joins the workspace
                             */
                            link: string;
                            role: string;
                            status: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    createInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    /**
                     * @default interviewer
                     * @enum {string}
                     */
                    role?: "admin" | "interviewer";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        /** Format: date-time */
                        expiresAt: string;
                        id: string;
                        /**
                         * Format: uri
                         * @description Give this link to the invitee: signing up or in there joins the workspace
                         */
                        link: string;
                        /**
                         * @description The email to the invitee: taken by the mail server, not sent (hand the link over), or no mail server configured
                         * @enum {string}
                         */
                        mail: "sent" | "failed" | "off";
                        role: string;
                        status: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invitation id (the end of its link) */
                invitationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        /** Format: date-time */
                        expiresAt: string;
                        id: string;
                        organization: {
                            name: string;
                        };
                        role: string;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "rejected" | "canceled" | "expired";
                    };
                };
            };
            400: components["responses"]["Error400"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    deleteInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invitation id (the end of its link) */
                invitationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        cancelled: true;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    createMembership: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invitation id (the end of its link) */
                invitationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        organizationId: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    getCaller: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "anonymous" | "member" | "apiKey";
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        role: ("owner" | "admin" | "interviewer") | null;
                        user: {
                            email: string;
                            id: string;
                            name: string;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listMembers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: {
                            email: string;
                            id: string;
                            /** Format: date-time */
                            joinedAt: string;
                            name: string;
                            /** @enum {string} */
                            role: "owner" | "admin" | "interviewer";
                            userId: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    deleteMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The membership id (from listMembers) */
                memberId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        removed: true;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    setMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The membership id (from listMembers) */
                memberId: string;
            };
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "owner" | "admin" | "interviewer";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        updated: true;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    listWorkspaces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        workspaces: {
                            /** @description Whether it is the workspace the caller has open */
                            active: boolean;
                            id: string;
                            name: string;
                            /**
                             * @description The caller's role there
                             * @enum {string}
                             */
                            role: "owner" | "admin" | "interviewer";
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    createWorkspace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A JSON object of at most 1 MiB (413 past it) */
        requestBody: {
            content: {
                "application/json": {
                    /** @description The workspace's name (1 to 100 characters, trimmed) */
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether it is the workspace the caller has open */
                        active: boolean;
                        id: string;
                        name: string;
                        /**
                         * @description The caller's role there
                         * @enum {string}
                         */
                        role: "owner" | "admin" | "interviewer";
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
    setActiveWorkspace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workspace's id (from listWorkspaces) */
                organizationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request's id: the client's own `x-request-id` (up to 64 characters) or one made up */
                    "x-request-id": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether it is the workspace the caller has open */
                        active: boolean;
                        id: string;
                        name: string;
                        /**
                         * @description The caller's role there
                         * @enum {string}
                         */
                        role: "owner" | "admin" | "interviewer";
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
        };
    };
}
