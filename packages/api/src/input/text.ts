import { z } from "zod";

/**
 * Text that PostgreSQL can store: `text` and `jsonb` refuse NUL (U+0000), and an unpaired UTF-16
 * surrogate is not a character at all (JSON admits one only as an escape). Refused at the edge, with
 * the field named, so a write never fails half-way in the database. In `u` mode a surrogate pair is
 * one code point outside the class, so every other character passes.
 */
const storable = /^[^\0\uD800-\uDFFF]*$/u;
export const TEXT_RULE = "must not contain NUL (U+0000) or unpaired surrogates";

/** Whether PostgreSQL can store `value` (no NUL, no unpaired surrogate). */
export const isStorable = (value: string): boolean => storable.test(value);

/** A string input: any Unicode text except NUL and unpaired surrogates. */
export const text = () => z.string().regex(storable, TEXT_RULE);

/**
 * Text from elsewhere (the live document, a program's output) made storable: NUL and unpaired
 * surrogates become U+FFFD, so one odd character never fails the write it is part of.
 */
export const toStorable = (value: string): string => value.replaceAll("\0", "\uFFFD").toWellFormed();
