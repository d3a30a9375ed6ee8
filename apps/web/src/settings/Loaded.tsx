import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { FormError } from "../components/FormError.tsx";

/** A query's data shown by `children`; until then a loading line, or why it could not be read. */
export function Loaded<T>({
  query,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <p className="muted">Loading…</p>;
  if (query.isError) return <FormError error={query.error} />;
  return children(query.data);
}
