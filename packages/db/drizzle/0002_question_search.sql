DROP INDEX "questions_scope_created_idx";--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || prompt)) STORED;--> statement-breakpoint
CREATE INDEX "questions_search_idx" ON "questions" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "questions_instance_created_idx" ON "questions" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "questions"."organization_id" is null;--> statement-breakpoint
CREATE INDEX "questions_scope_created_idx" ON "questions" USING btree ("organization_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);