import type { HTMLAttributes, ReactNode } from "react";

/** One line of a settings list: what it is, a detail beneath, then its actions (`children`). */
export function Row({
  title,
  detail,
  children,
  ...item
}: { title: ReactNode; detail: ReactNode; children: ReactNode } & Omit<
  HTMLAttributes<HTMLLIElement>,
  "title"
>) {
  return (
    <li className="row" {...item}>
      <div className="row-main">
        <span className="row-title">{title}</span>
        <span className="row-detail">{detail}</span>
      </div>
      {children}
    </li>
  );
}
