/** What this browser remembers: the display name, a cursor colour, and interviewer tokens per session. */

const NAME_KEY = "pairpad:name";
const COLOR_KEY = "pairpad:color";
const tokenKey = (sessionId: string) => `pairpad:token:${sessionId}`;

/** Distinct on a dark editor, readable with white text on top (cursor labels). */
export const cursorColors = [
  "#e5484d",
  "#f76b15",
  "#d6a100",
  "#30a46c",
  "#12a594",
  "#0090ff",
  "#6e56cf",
  "#d6409f",
];

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, policies): behave as a first visit
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // nothing to do: the value lives for this page only
  }
}

export const MAX_NAME_LENGTH = 40;

export function normalizeName(name: string): string {
  return name.replace(/\s+/g, " ").trim().slice(0, MAX_NAME_LENGTH);
}

export function loadName(): string | null {
  const name = normalizeName(read(NAME_KEY) ?? "");
  return name === "" ? null : name;
}

export function saveName(name: string) {
  write(NAME_KEY, normalizeName(name));
}

export function loadColor(): string {
  const stored = read(COLOR_KEY);
  if (stored && cursorColors.includes(stored)) return stored;
  const color = cursorColors[Math.floor(Math.random() * cursorColors.length)] ?? "#0090ff";
  write(COLOR_KEY, color);
  return color;
}

export function loadToken(sessionId: string): string | null {
  return read(tokenKey(sessionId));
}

export function saveToken(sessionId: string, token: string | null) {
  write(tokenKey(sessionId), token);
}

/**
 * Takes an interviewer token out of the address bar (`#token=…`), keeps it for this session, and
 * removes it from the visible URL and the history entry so it is not shared by accident.
 */
export function adoptTokenFromFragment(sessionId: string): void {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = fragment.get("token");
  if (!token) return;
  saveToken(sessionId, token);
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
}
