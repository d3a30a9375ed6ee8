import { codeRouter, snapshotRouter } from "./router/code.ts";
import { eventsRouter } from "./router/events.ts";
import { executeRouter, languagesRouter } from "./router/execute.ts";
import { historyRouter } from "./router/history.ts";
import { instanceRouter } from "./router/instance.ts";
import { interviewerTimelineRouter, notesRouter, scorecardRouter } from "./router/interviewer.ts";
import { participantsRouter } from "./router/participants.ts";
import { exportRouter, playbackRouter } from "./router/playback.ts";
import { questionRouter } from "./router/questions.ts";
import { roomQuestionRouter } from "./router/room-question.ts";
import { sessionRouter } from "./router/session.ts";
import { testRunRouter } from "./router/test-runs.ts";
import { ticketRouter } from "./router/ticket.ts";
import { watchRouter } from "./router/watch.ts";
import { apiKeyRouter, interviewsRouter, workspaceRouter } from "./router/workspace.ts";
import { workspacesRouter } from "./router/workspaces.ts";
import { createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  instance: instanceRouter,
  workspace: workspaceRouter,
  workspaces: workspacesRouter,
  apiKeys: apiKeyRouter,
  interviews: interviewsRouter,
  session: sessionRouter,
  code: codeRouter,
  snapshot: snapshotRouter,
  history: historyRouter,
  participants: participantsRouter,
  languages: languagesRouter,
  execute: executeRouter,
  events: eventsRouter,
  playback: playbackRouter,
  export: exportRouter,
  question: questionRouter,
  watch: watchRouter,
  ticket: ticketRouter,
  sessionQuestion: roomQuestionRouter,
  testRun: testRunRouter,
  notes: notesRouter,
  scorecard: scorecardRouter,
  interviewerTimeline: interviewerTimelineRouter,
});

export type AppRouter = typeof appRouter;
