import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "@pairpad/db/client";
import { testDatabaseTargets } from "@pairpad/db/testing";
import { callers, createTestDeps, errorOf } from "../testing.ts";

for (const target of testDatabaseTargets()) {
  describe(`interviewer notes and scorecard (${target.name})`, () => {
    let database: Database;
    let t: ReturnType<typeof createTestDeps>;
    let session: { id: string; interviewerToken: string };
    const interviewer = () => callers(t.deps).as(session.interviewerToken);

    beforeAll(async () => {
      database = await target.open();
      t = createTestDeps(database);
      session = await callers(t.deps).anonymous().session.create({});
      const question = await interviewer().question.create({
        title: "Trees",
        prompt: "Invert it.",
        rubric: [
          { id: "code", title: "Code quality" },
          { id: "talk", title: "Communication" },
        ],
      });
      await interviewer().sessionQuestion.set({ id: session.id, questionId: question.id });
    });
    afterAll(() => database.close());

    test("paragraphs keep their time and cursor; twenty written at once are all kept, in order of arrival", async () => {
      const first = await interviewer().notes.add({
        id: session.id,
        text: "Starts with brute force",
        cursor: 42,
      });
      expect(first.paragraphs).toEqual([
        expect.objectContaining({ text: "Starts with brute force", cursor: 42, author: "interviewer" }),
      ]);
      const at = first.paragraphs[0]?.at ?? 0;
      t.advance(5_000);
      const edited = await interviewer().notes.edit({
        id: session.id,
        paragraphId: first.paragraphs[0]?.id ?? "",
        text: "Starts with brute force, then memoises",
      });
      expect(edited.paragraphs[0]).toMatchObject({ at, cursor: 42 }); // an edit keeps the moment

      await Promise.all(
        Array.from({ length: 20 }, (_, i) => interviewer().notes.add({ id: session.id, text: `note ${i}` })),
      );
      const all = (await interviewer().notes.get({ id: session.id })).paragraphs;
      expect(all.length).toBe(21);
      expect(new Set(all.map((p) => p.text)).size).toBe(21);
    });

    test("notes and scorecard refuse anyone without the session's token", async () => {
      const other = await callers(t.deps).anonymous().session.create({});
      for (const caller of [callers(t.deps).anonymous(), callers(t.deps).as(other.interviewerToken)]) {
        expect((await errorOf(caller.notes.get({ id: session.id }))).code).toMatch(/UNAUTHORIZED|FORBIDDEN/);
        expect((await errorOf(caller.notes.add({ id: session.id, text: "x" }))).code).toMatch(
          /UNAUTHORIZED|FORBIDDEN/,
        );
        expect((await errorOf(caller.scorecard.get({ id: session.id }))).code).toMatch(
          /UNAUTHORIZED|FORBIDDEN/,
        );
        expect((await errorOf(caller.interviewerTimeline.markers({ id: session.id }))).code).toMatch(
          /UNAUTHORIZED|FORBIDDEN/,
        );
      }
    });

    test("a scorecard rates rubric items 1-4; unknown or repeated items are refused by field", async () => {
      const saved = await interviewer().scorecard.save({
        id: session.id,
        ratings: [
          { itemId: "code", rating: 3, comment: "Clean" },
          { itemId: "talk", rating: 4 },
        ],
        recommendation: "yes",
        summary: "Solid",
      });
      expect(saved).toMatchObject({ recommendation: "yes", summary: "Solid" });
      expect(await interviewer().scorecard.get({ id: session.id })).toMatchObject({
        ratings: [
          { itemId: "code", rating: 3, comment: "Clean" },
          { itemId: "talk", rating: 4, comment: "" },
        ],
        recommendation: "yes",
        // The form is built from the rubric the scorecard answer carries.
        rubric: [
          { id: "code", title: "Code quality", description: "" },
          { id: "talk", title: "Communication", description: "" },
        ],
      });
      const unknown = await errorOf(
        interviewer().scorecard.save({ id: session.id, ratings: [{ itemId: "nope", rating: 2 }] }),
      );
      expect(unknown.message).toContain("ratings.0.itemId");
      const twice = await errorOf(
        interviewer().scorecard.save({
          id: session.id,
          ratings: [
            { itemId: "code", rating: 2 },
            { itemId: "code", rating: 3 },
          ],
        }),
      );
      expect(twice.message).toContain("ratings.1.itemId");
      expect(
        (
          await errorOf(
            interviewer().scorecard.save({ id: session.id, ratings: [{ itemId: "code", rating: 5 }] }),
          )
        ).code,
      ).toBe("BAD_REQUEST");
      expect((await interviewer().scorecard.get({ id: session.id })).summary).toBe("Solid"); // nothing half-saved
    });

    test("the export carries question, notes and scorecard; interviewer markers list notes and every scorecard save", async () => {
      // A second save, by another interviewer, changes the recommendation: both saves are kept.
      await interviewer().scorecard.save({ id: session.id, recommendation: "strong_yes", by: "Bea" });
      const exported = await interviewer().export.session({ id: session.id });
      expect(exported.interview.question?.rubric.length).toBe(2);
      expect(exported.interview.notes.length).toBe(21);
      expect(exported.interview.scorecard?.recommendation).toBe("strong_yes");
      // The refused saves of the test before left no revision.
      expect(
        exported.interview.scorecardRevisions.map((r) => [r.recommendation, r.savedBy, r.ratings.length]),
      ).toEqual([
        ["yes", "interviewer", 2],
        ["strong_yes", "Bea", 0],
      ]);
      const { markers } = await interviewer().interviewerTimeline.markers({ id: session.id });
      expect(markers.filter((m) => m.kind === "note").length).toBe(21);
      expect(markers.filter((m) => m.kind === "scorecard").map((m) => m.label)).toEqual([
        "Scorecard saved by interviewer: yes",
        "Scorecard saved by Bea: strong yes",
      ]);
      expect(markers.at(-1)?.kind).toBe("scorecard");
      expect(markers.find((m) => m.kind === "note")?.cursor).toBe(42);
    });
  });
}
