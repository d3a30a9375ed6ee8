import { followLink, paths } from "../router.ts";

export function Brand() {
  return (
    <a className="brand" href={paths.home()} onClick={followLink} aria-label="Pairpad home">
      <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#6d5dfc" />
        <path
          d="M9 11l-4 5 4 5M23 11l4 5-4 5M18 8l-4 16"
          stroke="#fff"
          strokeWidth="2.4"
          fill="none"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span>Pairpad</span>
    </a>
  );
}
