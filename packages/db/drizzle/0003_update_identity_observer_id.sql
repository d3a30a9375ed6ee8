ALTER TABLE "document_updates" ADD COLUMN "connection_id" text;--> statement-breakpoint
ALTER TABLE "document_updates" ADD COLUMN "role" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "observer_id" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_observer_id_unique" UNIQUE("observer_id");